//! `user_equipment`: the set of equipment each user owns.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string, uuid};

use super::m20261121_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserEquipment {
    Table,
    UserId,
    Equipment,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The (user_id, equipment) primary key also serves `WHERE user_id IN (...)`.
        manager
            .create_table(
                Table::create()
                    .table(UserEquipment::Table)
                    .if_not_exists()
                    .col(uuid(UserEquipment::UserId))
                    .col(string(UserEquipment::Equipment))
                    .primary_key(
                        Index::create()
                            .name("pk_user_equipment")
                            .col(UserEquipment::UserId)
                            .col(UserEquipment::Equipment),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_equipment_user_id")
                            .from(UserEquipment::Table, UserEquipment::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(UserEquipment::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}

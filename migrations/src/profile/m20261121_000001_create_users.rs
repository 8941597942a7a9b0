//! `users`: one row per onboarded user.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{double, integer, pk_uuid, string, timestamp_with_time_zone};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(super) enum Users {
    Table,
    Id,
    DisplayName,
    Email,
    BirthYear,
    Sex,
    HeightCm,
    WeightKg,
    PrimaryGoal,
    FitnessLevel,
    DaysPerWeek,
    SessionMinutes,
    PreferredTimeOfDay,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(pk_uuid(Users::Id))
                    .col(string(Users::DisplayName))
                    .col(string(Users::Email))
                    .col(integer(Users::BirthYear))
                    .col(string(Users::Sex))
                    .col(double(Users::HeightCm))
                    .col(double(Users::WeightKg))
                    .col(string(Users::PrimaryGoal))
                    .col(string(Users::FitnessLevel))
                    .col(integer(Users::DaysPerWeek))
                    .col(integer(Users::SessionMinutes))
                    .col(string(Users::PreferredTimeOfDay))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // Emails are stored normalised, so a plain unique index enforces
        // case-insensitive uniqueness and serves userByEmail on both backends.
        manager
            .create_index(
                Index::create()
                    .name("uq_users_email")
                    .table(Users::Table)
                    .col(Users::Email)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).if_exists().to_owned())
            .await
    }
}

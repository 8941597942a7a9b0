//! Database connections. SQLite (the embedded default) gets its directory created
//! and write-ahead logging on; PostgreSQL is used as configured.

use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use sea_orm_migration::MigratorTrait;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database URL must start with sqlite:// or postgres:// (got `{0}`)")]
    UnsupportedUrl(String),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] DbErr),
    #[error("migration failed: {0}")]
    Migrate(#[source] DbErr),
}

/// Opens a pool for `url`, creating the SQLite file (and its folder) when missing.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbError> {
    let url = prepare_url(url)?;
    let is_sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url);
    // SQLite has one writer at a time, and a transaction that read before it writes
    // fails outright (SQLITE_BUSY_SNAPSHOT, which no busy timeout cures) when another
    // connection wrote in between: concurrent sign-ups and equipment changes did. One
    // connection serialises the embedded database's work instead; its queries take
    // microseconds, and production runs PostgreSQL.
    options
        .max_connections(if is_sqlite { 1 } else { 16 })
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let db = Database::connect(options).await.map_err(DbError::Connect)?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers proceed while a writer holds the file.
        db.execute_unprepared("PRAGMA journal_mode=WAL")
            .await
            .map_err(DbError::Connect)?;
    }
    Ok(db)
}

/// Connects and brings the schema up to date with `M`.
pub async fn connect_and_migrate<M: MigratorTrait>(
    url: &str,
) -> Result<DatabaseConnection, DbError> {
    let db = connect(url).await?;
    M::up(&db, None).await.map_err(DbError::Migrate)?;
    Ok(db)
}

fn prepare_url(url: &str) -> Result<String, DbError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(url.to_owned());
    }
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Err(DbError::UnsupportedUrl(url.to_owned()));
    };
    let path = rest.split('?').next().unwrap_or_default();
    let parent = std::path::Path::new(path)
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty());
    if let Some(dir) = parent.filter(|_| path != ":memory:") {
        std::fs::create_dir_all(dir).map_err(|source| DbError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    if rest.contains("mode=") {
        Ok(url.to_owned())
    } else {
        let separator = if rest.contains('?') { '&' } else { '?' };
        Ok(format!("sqlite://{rest}{separator}mode=rwc"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_gain_create_mode_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/nested/x.db", dir.path().display());
        let prepared = prepare_url(&url).expect("valid url");
        assert!(prepared.ends_with("x.db?mode=rwc"));
        assert!(dir.path().join("nested").is_dir());
        assert_eq!(prepare_url(&prepared).expect("valid url"), prepared);
    }

    #[test]
    fn other_schemes_are_refused() {
        assert!(matches!(
            prepare_url("mysql://x"),
            Err(DbError::UnsupportedUrl(_))
        ));
    }
}

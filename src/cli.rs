//! Command-line surface. Running with no subcommand is `dev`, so that
//! `cargo run --release` starts the whole product.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use subgraph_common::SubgraphName;

#[derive(Debug, Parser)]
#[command(
    name = "fitgraph",
    version,
    about = "fitgraph: a federated GraphQL backend for personalized training"
)]
pub struct Cli {
    /// Configuration file (TOML). Defaults to ./fitgraph.toml when present; FITGRAPH_* environment
    /// variables override it (e.g. FITGRAPH_PROFILE__DATABASE_URL=postgres://...).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run all four subgraphs in one process (ports 4001-4004) and the gateway over them
    /// (port 4000), migrating every database and seeding the exercise library and demo users
    /// on first start. The default command.
    Dev,
    /// Run one subgraph alone on its configured port and database (the production shape),
    /// or the federation gateway over a supergraph file.
    Serve {
        #[command(subcommand)]
        target: ServeTarget,
    },
    /// Bring databases up to date with the migrations (all subgraphs unless some are named).
    Migrate {
        /// Only these subgraphs.
        subgraphs: Vec<Subgraph>,
    },
    /// Seed the exercise library (5,000+ exercises and the workout templates) and the demo
    /// users. Safe to run again: what exists is left alone. With `--scale`, then also
    /// generate a large population for performance work (see the options).
    Seed(SeedArgs),
    /// Import an exercise catalog file into the exercises database. Records are matched by
    /// their source id, so importing the same file twice creates nothing the second time;
    /// malformed records are reported by index and field while the rest still import.
    ImportExercises {
        /// The file's format.
        #[arg(long, value_enum)]
        format: ImportFormat,
        /// Path to the file.
        path: PathBuf,
    },
    /// Compose the four subgraphs' SDL into a Federation v2 supergraph (what the gateway
    /// loads) and write it; composition errors are listed and nothing is written.
    Compose {
        /// Where the subgraphs' SDL comes from: this build's code, or the running
        /// subgraphs' `{ _service { sdl } }` at their configured URLs.
        #[arg(long, value_enum, default_value = "code")]
        from: SdlSource,
        /// The file to write.
        #[arg(long, default_value = "schema/supergraph.graphql")]
        out: PathBuf,
    },
    /// Print a subgraph's Federation SDL (what `{ _service { sdl } }` returns).
    Sdl {
        /// Which subgraph.
        subgraph: Subgraph,
    },
    /// Persisted query manifests (trusted documents): the operations a partner's API key
    /// may run, one `schema/persisted/<client>.json` per client.
    Persisted {
        #[command(subcommand)]
        command: PersistedCommand,
    },
    /// Train the recommendation ranker now: copy new outcomes from the feedback subgraph,
    /// train on the plans database's generated workouts, evaluate on the most recent days
    /// held out, store the model in the registry and promote it only if it beats the
    /// serving model on those days (running plans services pick it up within seconds).
    Train,
    /// Run a synthetic population against the real graph (all subgraphs and the gateway,
    /// started in this process on a fresh embedded database): each user has hidden
    /// preferences the system never sees, asks for today's workout, completes or skips
    /// exercises accordingly, and the ranker retrains every night. Prints a table per week.
    Simulate(SimulateArgs),
    /// Mint a development bearer token for the embedded default (signed with the key
    /// `dev` generated under the data directory, or the configured `auth.hs256_secret`).
    Token {
        /// The user id (the token's subject), e.g. a demo user's id printed by `dev`.
        #[arg(long)]
        user: String,
        /// Scopes to grant, e.g. `--scopes editor,admin`.
        #[arg(long, value_delimiter = ',')]
        scopes: Vec<String>,
        /// How long the token is valid.
        #[arg(long, default_value_t = 24)]
        ttl_hours: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersistedCommand {
    /// Build a client's manifest from a folder of `.graphql` files: one entry per named
    /// operation, its body the operation plus the fragments it uses. Every operation is
    /// validated against the supergraph before anything is written.
    Build {
        /// The folder holding the client's operations, e.g. `schema/persisted/acme-coach`.
        folder: PathBuf,
        /// The client: the `name` of its `auth.api_keys` entry.
        #[arg(long)]
        client: String,
        /// Where to write the manifest; defaults to `schema/persisted/<client>.json`.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The supergraph the operations must be valid against.
        #[arg(long, value_name = "FILE", default_value = "schema/supergraph.graphql")]
        supergraph: PathBuf,
    },
    /// Check every manifest in a folder against the supergraph (format, ids, names, types,
    /// and that each body validates); prints one line per manifest and fails on any error.
    Check {
        /// The supergraph the gateway serves.
        #[arg(long, value_name = "FILE", default_value = "schema/supergraph.graphql")]
        supergraph: PathBuf,
        /// The folder of manifests (`*.json`).
        #[arg(long, value_name = "DIR", default_value = "schema/persisted")]
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// After the normal seed, generate a large population straight into the configured
    /// databases, with progress: `--users` users (`scale-<index>@fitgraph.test`, index from
    /// 0) with varied profiles, equipment and wearable readings, and the last eight weeks
    /// of some of them in plans (generated workouts and their recommendation records) and
    /// feedback, until the feedback database holds `--feedback-rows` more rows. Ids derive
    /// from `--seed`, so running it again writes nothing new.
    #[arg(long)]
    pub scale: bool,
    /// Users to generate (with `--scale`).
    #[arg(long, default_value_t = 100_000, requires = "scale")]
    pub users: u32,
    /// Feedback rows to generate (with `--scale`): one row is a workout completion, one
    /// exercise's outcome within it, a logged set or an exercise rating.
    #[arg(long, default_value_t = 1_000_000, requires = "scale")]
    pub feedback_rows: u64,
    /// Seed of the population (with `--scale`); the same seed generates the same people.
    #[arg(long, default_value_t = 7, requires = "scale")]
    pub seed: u64,
}

#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// Synthetic users.
    #[arg(long, default_value_t = 200)]
    pub users: u32,
    /// Simulated days.
    #[arg(long, default_value_t = 28)]
    pub days: u32,
    /// Seed of the population and its behaviour; the same seed simulates the same people.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Keep the databases here instead of a temporary directory.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// What `serve` runs.
#[derive(Debug, Subcommand)]
pub enum ServeTarget {
    #[command(flatten)]
    Subgraph(Subgraph),
    /// The federation gateway: one graph over the subgraphs a supergraph names.
    Gateway(GatewayArgs),
}

#[derive(Debug, Args)]
pub struct GatewayArgs {
    /// The supergraph to serve (written by `fitgraph compose`).
    #[arg(long, value_name = "FILE", default_value = "schema/supergraph.graphql")]
    pub supergraph: PathBuf,
    /// Where to listen, `HOST:PORT` (port 0 picks a free one); defaults to the
    /// configured `host` and `gateway.port`.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

/// A subgraph: a value for `migrate` and `sdl`, a subcommand of `serve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Subcommand)]
pub enum Subgraph {
    /// Users, goals, equipment, wearable readings, recovery.
    Profile,
    /// The exercise library, substitutions, workout templates.
    Exercises,
    /// Programs and scheduled workouts.
    Plans,
    /// Logged sets, completions, ratings, training signals.
    Feedback,
}

impl From<Subgraph> for SubgraphName {
    fn from(subgraph: Subgraph) -> Self {
        match subgraph {
            Subgraph::Profile => SubgraphName::Profile,
            Subgraph::Exercises => SubgraphName::Exercises,
            Subgraph::Plans => SubgraphName::Plans,
            Subgraph::Feedback => SubgraphName::Feedback,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SdlSource {
    /// The SDL this binary's subgraphs publish.
    Code,
    /// Fetched over HTTP from the running subgraphs.
    Running,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// The JSON array of the public-domain free-exercise-db project.
    FreeExerciseDb,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn seed_args(args: &[&str]) -> Result<SeedArgs, clap::Error> {
        let cli = Cli::try_parse_from(["fitgraph", "seed"].iter().chain(args))?;
        match cli.command {
            Some(Command::Seed(args)) => Ok(args),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn seed_alone_is_the_normal_seed() {
        let args = seed_args(&[]).expect("plain seed parses");
        assert!(!args.scale);
    }

    #[test]
    fn scale_options_have_defaults_and_need_scale() {
        let args = seed_args(&["--scale"]).expect("--scale parses");
        assert_eq!(
            (args.users, args.feedback_rows, args.seed),
            (100_000, 1_000_000, 7)
        );
        let args = seed_args(&[
            "--scale",
            "--users",
            "40",
            "--feedback-rows",
            "3000",
            "--seed",
            "3",
        ])
        .expect("every option parses");
        assert_eq!((args.users, args.feedback_rows, args.seed), (40, 3000, 3));
        for alone in [["--users", "5"], ["--feedback-rows", "5"], ["--seed", "5"]] {
            let err = seed_args(&alone).expect_err("an option without --scale is refused");
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::MissingRequiredArgument,
                "{alone:?}"
            );
        }
    }
}

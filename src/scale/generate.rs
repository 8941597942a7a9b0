//! Histories are generated away from the writer: on a thread of their own, so the next
//! chunk is planned while the last one is written, and each batch of people spread over
//! the machine's cores (planning days with the rules is most of the work). The row
//! budget is applied in index order once a batch is back, so the outcome is the same
//! however the work was spread.

use std::num::NonZero;
use std::thread;

use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::ScaleError;
use super::history::{Generator, Session};
use super::people::{self, Person};

/// People generated together, their histories spread over the workers.
const PEOPLE_PER_BATCH: usize = 64;
/// A chunk (one transaction per database) closes at this many people or this many
/// feedback rows, whichever comes first.
const PEOPLE_PER_CHUNK: usize = 50;
const FEEDBACK_ROWS_PER_CHUNK: u64 = 20_000;
/// Chunks generated ahead of the writer at most.
const CHUNKS_AHEAD: usize = 2;

/// Histories ready to write, in index order.
#[derive(Default)]
pub struct Chunk {
    pub histories: Vec<(Uuid, Vec<Session>)>,
    /// Feedback rows they hold.
    pub rows: u64,
}

/// Starts generating the histories of the people marked `present`, in index order,
/// until they hold `rows` feedback rows. Chunks arrive on the receiver (a generation
/// error as its last message); the task ends with the number of rows placed.
pub fn start(
    generator: Generator,
    present: Vec<bool>,
    rows: u64,
) -> (Receiver<Result<Chunk, ScaleError>>, JoinHandle<u64>) {
    let (sender, receiver) = mpsc::channel(CHUNKS_AHEAD);
    let task = tokio::task::spawn_blocking(move || run(&generator, &present, rows, &sender));
    (receiver, task)
}

fn run(
    generator: &Generator,
    present: &[bool],
    rows: u64,
    sender: &Sender<Result<Chunk, ScaleError>>,
) -> u64 {
    let mut ours = (0_u32..)
        .zip(present)
        .filter(|(_, present)| **present)
        .map(|(index, _)| index);
    let mut chunk = Chunk::default();
    let mut left = rows;
    while left > 0 {
        let batch: Vec<u32> = ours.by_ref().take(PEOPLE_PER_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let histories = match histories(generator, &batch) {
            Ok(histories) => histories,
            Err(err) => {
                // The writer stops at the error; nothing else is sent.
                let _ = sender.blocking_send(Err(err));
                return rows - left;
            }
        };
        for (person, sessions) in histories {
            if left == 0 {
                break;
            }
            let sessions = generator.within(&person, sessions, left);
            let placed: u64 = sessions.iter().map(Session::feedback_rows).sum();
            left -= placed;
            chunk.rows += placed;
            if !sessions.is_empty() {
                chunk.histories.push((person.id, sessions));
            }
            let full =
                chunk.histories.len() >= PEOPLE_PER_CHUNK || chunk.rows >= FEEDBACK_ROWS_PER_CHUNK;
            // A send fails only once the writer has given up; then so does this.
            if full
                && sender
                    .blocking_send(Ok(std::mem::take(&mut chunk)))
                    .is_err()
            {
                return rows - left;
            }
        }
    }
    if !chunk.histories.is_empty() {
        let _ = sender.blocking_send(Ok(chunk));
    }
    rows - left
}

/// The people of `batch` with their histories, in the batch's order, generated on
/// every core.
fn histories(
    generator: &Generator,
    batch: &[u32],
) -> Result<Vec<(Person, Vec<Session>)>, ScaleError> {
    let workers = thread::available_parallelism().map_or(1, NonZero::get);
    let share = batch.len().div_ceil(workers).max(1);
    thread::scope(|scope| {
        let parts: Vec<_> = batch
            .chunks(share)
            .map(|part| scope.spawn(move || generate_part(generator, part)))
            .collect();
        let mut all = Vec::with_capacity(batch.len());
        for part in parts {
            // A worker's panic is a bug; it ends the generation as a panic would.
            let generated = part
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            all.extend(generated?);
        }
        Ok(all)
    })
}

fn generate_part(
    generator: &Generator,
    indices: &[u32],
) -> Result<Vec<(Person, Vec<Session>)>, ScaleError> {
    indices
        .iter()
        .map(|&index| {
            let person = people::draw(generator.seed, index);
            generator
                .history(&person)
                .map(|sessions| (person, sessions))
        })
        .collect()
}

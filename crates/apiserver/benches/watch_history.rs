//! What the watch history costs during a rolling update of 1,000 replicas: the time to keep
//! a state after each instant the clock stops at, the memory the kept states hold (objects
//! and events only they still point to included), and the same for whole-`Cluster` clones,
//! the other way to keep states. Run with `cargo bench -p rollout-apiserver` (or, unoptimised,
//! `cargo test -p rollout-apiserver --bench watch_history`); `REPLICAS=N` for another size.
//! (A benchmark that prints figures, not a timed test: machines differ.)

use rollout_apiserver::history::{History, KEPT};
use rollout_apiserver::listing::{self, Selection};
use rollout_kubectl::lab::Lab;
use rollout_sim::cluster::{Cluster, WorkerSize};
use rollout_sim::objects::Kind;
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

/// The system allocator, counting the bytes live.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn mib(bytes: isize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// A lab whose Deployment of `replicas` has rolled out and has just been given a new image.
fn rolling(replicas: usize) -> Lab {
    // Large workers take 110 pods each: enough for the replicas and their surge.
    let workers = (replicas * 5 / 4).div_ceil(110).max(3);
    let mut lab = Lab::headless_with_workers(1, workers, WorkerSize::Large);
    let budget = rollout_sim::clock::Duration::from_secs(60);
    let ran = lab.run_line(
        &format!("kubectl create deployment web --image=nginx:1.25 --replicas={replicas}"),
        budget,
    );
    assert_eq!(ran.status, 0, "{}", ran.stderr);
    lab.advance(rollout_sim::clock::Duration::from_secs(300));
    let ran = lab.run_line("kubectl set image deployment/web nginx=nginx:1.26", budget);
    assert_eq!(ran.status, 0, "{}", ran.stderr);
    lab
}

/// Moves the clock `seconds` as the server does, stopping at every instant something is
/// due, and calls `keep` after each.
fn run(lab: &mut Lab, seconds: i64, mut keep: impl FnMut(&Cluster)) -> usize {
    let end = lab.now() + rollout_sim::clock::Duration::from_secs(seconds);
    let mut stops = 0;
    while lab.now() < end {
        let now = lab.now();
        let next = lab.host.cluster.next_timer().unwrap_or(end).min(end);
        lab.advance((next - now).max(rollout_sim::clock::Duration(1)));
        keep(&lab.host.cluster);
        stops += 1;
    }
    stops
}

fn main() {
    let replicas: usize = std::env::var("REPLICAS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1_000);
    let seconds = 180;

    // States of the store and events, as the server keeps them.
    let mut lab = rolling(replicas);
    let mut history = History::new(&lab.host.cluster);
    let mut spent = Duration::ZERO;
    let stops = run(&mut lab, seconds, |cluster| {
        let started = Instant::now();
        history.record(cluster);
        spent += started.elapsed();
    });
    let pods = lab.host.cluster.store().pods.len();
    let kept = history.len();
    let started = Instant::now();
    let oldest = history.at(0).err().map_or(0, |e| e.oldest);
    let listing = history.at(oldest).ok().map(|state| {
        listing::list_from(state.source(), Kind::Pod, &Selection::default())
            .entries
            .len()
    });
    let watch_start = started.elapsed();
    let before = live();
    drop(history);
    let held = before - live();
    println!(
        "{replicas} replicas ({pods} pods), {stops} clock stops in {seconds} virtual s: \
         {kept} states kept (at most {KEPT}), {:.3} ms per stop to keep one, {:.1} MiB held \
         ({:.1} KiB a state); a watch from the oldest lists its {} pods in {:.1} ms",
        spent.as_secs_f64() * 1000.0 / stops.max(1) as f64,
        mib(held),
        held as f64 / 1024.0 / kept.max(1) as f64,
        listing.unwrap_or(0),
        watch_start.as_secs_f64() * 1000.0,
    );

    // Whole-cluster clones, for comparison.
    let mut lab = rolling(replicas);
    let mut clones: VecDeque<Cluster> = VecDeque::new();
    let mut spent = Duration::ZERO;
    let stops = run(&mut lab, seconds, |cluster| {
        let started = Instant::now();
        clones.push_back(cluster.clone());
        if clones.len() > KEPT {
            clones.pop_front();
        }
        spent += started.elapsed();
    });
    let kept = clones.len();
    let before = live();
    drop(clones);
    let held = before - live();
    println!(
        "whole-Cluster clones instead: {:.3} ms per stop, {:.1} MiB held for {kept} ({:.1} KiB each)",
        spent.as_secs_f64() * 1000.0 / stops.max(1) as f64,
        mib(held),
        held as f64 / 1024.0 / kept.max(1) as f64,
    );
}

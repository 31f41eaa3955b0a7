//! What a Prometheus scraping the apps would know: `http_requests_total`, a counter of the
//! HTTP requests each app container answered, by label set.
//!
//! Every request that reaches a pod (curl, the page's traffic client, ingress-nginx's
//! proxying, an analysis web metric) is counted in [`super::NetworkState::send`]'s last hop
//! with these labels:
//!
//! | label | value |
//! |---|---|
//! | `namespace` | the pod's namespace |
//! | `service` | the Service the request came through (the Ingress backend's, else the ClusterIP's); empty for a pod IP |
//! | `pod` | the pod's name |
//! | `version` | the answering container's image tag (`v1.1`): what the app reports of itself |
//! | `rollouts_pod_template_hash` | the pod's `rollouts-pod-template-hash` label, when it has one |
//! | `code` | the HTTP status code (`200`, `506`) |
//!
//! Counts are kept per second of virtual time for the last [`RETENTION`], so a range of up
//! to an hour can be read back; memory is bounded by that window and by [`MAX_SERIES`]
//! (the least recently used series go first). A series exists from its first request (as a
//! client library creates a labelled counter lazily) until an hour after its last one.

use crate::clock::{Duration, Time};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// The metric's name.
pub const HTTP_REQUESTS_TOTAL: &str = "http_requests_total";
/// How far back counts can be read.
pub const RETENTION: Duration = Duration(3_600_000);
/// At most this many label sets are kept.
pub const MAX_SERIES: usize = 2_000;

/// One request's labels, in Prometheus' terms.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RequestLabels {
    pub namespace: String,
    pub service: String,
    pub pod: String,
    pub version: String,
    pub rollouts_pod_template_hash: String,
    pub code: u16,
}

impl RequestLabels {
    /// The label set as Prometheus would show it (empty labels are absent).
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::from([("__name__".to_string(), HTTP_REQUESTS_TOTAL.to_string())]);
        let pairs = [
            ("namespace", self.namespace.clone()),
            ("service", self.service.clone()),
            ("pod", self.pod.clone()),
            ("version", self.version.clone()),
            (
                "rollouts_pod_template_hash",
                self.rollouts_pod_template_hash.clone(),
            ),
            ("code", self.code.to_string()),
        ];
        for (name, value) in pairs {
            if !value.is_empty() {
                map.insert(name.to_string(), value);
            }
        }
        map
    }
}

/// One label set's counter: cumulative counts at the end of each second that saw requests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Series {
    /// When the first request was counted.
    created: Time,
    /// The count before the oldest kept second.
    baseline: u64,
    /// (second, cumulative count at the end of it), oldest first.
    seconds: VecDeque<(i64, u64)>,
}

impl Series {
    fn total(&self) -> u64 {
        self.seconds.back().map_or(self.baseline, |(_, n)| *n)
    }

    fn last_second(&self) -> i64 {
        self.seconds.back().map_or(i64::MIN, |(s, _)| *s)
    }

    /// The counter's value at `at`: every request of the seconds that ended by then (the
    /// requests of the second under way are seen a moment later, like a scrape's).
    fn at(&self, at: Time) -> u64 {
        let before = at.millis().div_euclid(1000);
        match self.seconds.iter().rev().find(|(s, _)| *s < before) {
            Some((_, n)) => *n,
            None if at.millis().div_euclid(1000) <= self.created.millis().div_euclid(1000) => 0,
            None => self.baseline,
        }
    }
}

/// `http_requests_total` for every label set seen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCounters {
    series: BTreeMap<RequestLabels, Series>,
    /// The second of the last pruning: pruning runs once per second of virtual time.
    pruned_at: i64,
}

/// One series as a query reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesView<'a> {
    pub labels: &'a RequestLabels,
    series: &'a Series,
}

impl SeriesView<'_> {
    /// Whether the series existed at `at`.
    pub fn exists_at(&self, at: Time) -> bool {
        self.series.created <= at
    }

    /// The counter's value at `at` (0 before its first request).
    pub fn value_at(&self, at: Time) -> u64 {
        self.series.at(at)
    }
}

impl RequestCounters {
    /// Counts one answered request.
    pub fn record(&mut self, labels: RequestLabels, now: Time) {
        let second = now.millis().div_euclid(1000);
        let series = self.series.entry(labels).or_insert_with(|| Series {
            created: now,
            ..Series::default()
        });
        let total = series.total() + 1;
        match series.seconds.back_mut() {
            Some((s, n)) if *s == second => *n = total,
            _ => series.seconds.push_back((second, total)),
        }
        let oldest = (now - RETENTION).millis().div_euclid(1000);
        while series.seconds.len() > 1 && series.seconds.front().is_some_and(|(s, _)| *s < oldest) {
            if let Some((_, n)) = series.seconds.pop_front() {
                series.baseline = n;
            }
        }
        if second != self.pruned_at {
            self.pruned_at = second;
            self.prune(now);
        }
    }

    /// Forgets series idle for longer than the retention, then the least recently used ones
    /// beyond [`MAX_SERIES`].
    fn prune(&mut self, now: Time) {
        let oldest = (now - RETENTION).millis().div_euclid(1000);
        self.series.retain(|_, s| s.last_second() >= oldest);
        while self.series.len() > MAX_SERIES {
            let Some(victim) = self
                .series
                .iter()
                .min_by_key(|(_, s)| s.last_second())
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            self.series.remove(&victim);
        }
    }

    /// Every series, in label order.
    pub fn series(&self) -> impl Iterator<Item = SeriesView<'_>> {
        self.series
            .iter()
            .map(|(labels, series)| SeriesView { labels, series })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(code: u16) -> RequestLabels {
        RequestLabels {
            namespace: "default".into(),
            pod: "demo-1".into(),
            code,
            ..RequestLabels::default()
        }
    }

    #[test]
    fn counts_are_read_back_at_any_instant_of_the_last_hour() {
        let mut counters = RequestCounters::default();
        counters.record(labels(200), Time(1_500));
        counters.record(labels(200), Time(1_900));
        counters.record(labels(200), Time(65_000));
        let series: Vec<_> = counters.series().collect();
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].value_at(Time(1_000)), 0);
        assert_eq!(series[0].value_at(Time(1_999)), 0);
        assert_eq!(series[0].value_at(Time(2_000)), 2);
        assert_eq!(series[0].value_at(Time(65_500)), 2);
        assert_eq!(series[0].value_at(Time(66_000)), 3);
    }

    #[test]
    fn old_seconds_fold_into_the_baseline_and_idle_series_are_forgotten() {
        let mut counters = RequestCounters::default();
        counters.record(labels(200), Time(0));
        counters.record(labels(500), Time(0));
        for i in 1..5_000 {
            counters.record(labels(200), Time(i * 1_000));
        }
        let series: Vec<_> = counters.series().collect();
        // The 500 series saw nothing for more than an hour.
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].value_at(Time(5_000_000)), 5_000);
        assert!(counters.series[&labels(200)].seconds.len() <= 3_602);
    }
}

//! `metricproviders/job`: a Job whose success is the measurement's.

use super::run::meta_now;
use crate::clock::Time;
use crate::cluster::Cluster;
use crate::objects::{AnalysisRun, Measurement, Metric};

pub(super) fn run(
    _cluster: &mut Cluster,
    _run: &AnalysisRun,
    _metric: &Metric,
    now: Time,
) -> Result<Measurement, String> {
    let _ = meta_now(now);
    Err("the lab does not run Job metrics yet".into())
}

pub(super) fn resume(
    _cluster: &mut Cluster,
    _run: &AnalysisRun,
    _metric: &Metric,
    measurement: Measurement,
    _now: Time,
) -> Result<Measurement, String> {
    Ok(measurement)
}

pub(super) fn terminate(
    _cluster: &mut Cluster,
    _run: &AnalysisRun,
    _metric: &Metric,
    measurement: Measurement,
    _now: Time,
) -> Result<Measurement, String> {
    Ok(measurement)
}

pub(super) fn garbage_collect(
    _cluster: &mut Cluster,
    _run: &AnalysisRun,
    _metric: &Metric,
    _limit: usize,
) {
}

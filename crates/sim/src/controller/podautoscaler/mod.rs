//! The horizontal pod autoscaler, laid out like upstream `pkg/controller/podautoscaler`:
//! [`replica_calculator`] (`replica_calculator.go`: what a metric asks for, with the
//! tolerance and the handling of unready pods and pods without metrics) and [`horizontal`]
//! (`horizontal.go`: the sync of one HPA, its stabilization windows and rate policies, its
//! conditions and events). Its metrics come from outside (the metrics-server add-on), as
//! upstream's come through the resource metrics API.

pub mod horizontal;
pub mod replica_calculator;

#[cfg(test)]
mod tests;

//! `kubectl describe poddisruptionbudget` (describe.go `describePodDisruptionBudgetV1`).

use super::{describe_events, PrefixWriter, LEVEL_0, LEVEL_2};
use crate::printers::format::format_label_selector;
use crate::printers::kinds::int_or_string;
use rollout_sim::clock::Time;
use rollout_sim::objects::{Event, PodDisruptionBudget};

/// Describes `pdb`: its one bound (`minAvailable` wins when both are set) and the disruption
/// controller's last count. kubectl prints no labels or annotations here.
pub fn describe_pod_disruption_budget(
    pdb: &PodDisruptionBudget,
    events: &[Event],
    now: Time,
) -> String {
    let mut w = PrefixWriter::aligned();
    w.write(LEVEL_0, &format!("Name:\t{}\n", pdb.metadata.name));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", pdb.metadata.namespace),
    );
    if let Some(min_available) = &pdb.spec.min_available {
        w.write(
            LEVEL_0,
            &format!("Min available:\t{}\n", int_or_string(min_available)),
        );
    } else if let Some(max_unavailable) = &pdb.spec.max_unavailable {
        w.write(
            LEVEL_0,
            &format!("Max unavailable:\t{}\n", int_or_string(max_unavailable)),
        );
    }
    match &pdb.spec.selector {
        Some(selector) => w.write(
            LEVEL_0,
            &format!("Selector:\t{}\n", format_label_selector(selector)),
        ),
        None => w.write(LEVEL_0, "Selector:\t<unset>\n"),
    }
    let status = &pdb.status;
    w.write(LEVEL_0, "Status:\n");
    w.write(
        LEVEL_2,
        &format!("Allowed disruptions:\t{}\n", status.disruptions_allowed),
    );
    w.write(LEVEL_2, &format!("Current:\t{}\n", status.current_healthy));
    w.write(LEVEL_2, &format!("Desired:\t{}\n", status.desired_healthy));
    w.write(LEVEL_2, &format!("Total:\t{}\n", status.expected_pods));
    describe_events(&mut w, events, now);
    w.finish()
}

-- One row per lead x scoring moment (decision, as_of) x rule that fired, with the evidence the rule's
-- points are applied to, and nothing about the points themselves: the backtest's what-if scoring
-- (lead_evaluation) re-applies any configuration's points to it, and the rule matrix of the fitted
-- weights and the predictive features are read from it.
--   demographic and BANT rules: evidence 1
--   behaviour rules:            events (evidence_count), their decayed count (decayed_evidence), and
--                               for categories whose negative points expire, the events not yet
--                               expired (unexpired_evidence; null otherwise)
-- Keeps every moment; a run replaces the moments it scores (int_lead_moments_to_score).
-- depends_on: {{ ref('int_lead_moments_to_score') }}, {{ ref('int_lead_scoring_moments') }}
{{ every_moment_config() }}

with

demographic_hits as (
    select * from {{ ref('int_lead_demographic_rule_hits') }}
),

bant_hits as (
    select * from {{ ref('int_lead_bant_rule_hits') }}
),

behavior_points as (
    select * from {{ ref('int_lead_behavior_rule_points') }}
),

evidence as (
    select lead_id, scoring_moment, 'demographic' as score_component, rule_id,
        1 as evidence_count, cast(1 as double) as decayed_evidence, cast(null as bigint) as unexpired_evidence
    from demographic_hits
    union all
    select lead_id, scoring_moment, 'bant' as score_component, rule_id,
        1 as evidence_count, cast(1 as double) as decayed_evidence, cast(null as bigint) as unexpired_evidence
    from bant_hits
    union all
    select lead_id, scoring_moment, 'behavior' as score_component, rule_id,
        cast(evidence_count as integer) as evidence_count, decayed_evidence,
        cast(unexpired_evidence as bigint) as unexpired_evidence
    from behavior_points
),

final as (
    select * from evidence
    where scoring_moment in ('decision', 'as_of')
)

select * from final

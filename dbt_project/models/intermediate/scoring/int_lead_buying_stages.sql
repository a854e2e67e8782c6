-- One row per lead x scoring moment: the buying stage from seed buying_stage_rules, the first rule (by
-- evaluation_order) the lead meets. Each rule names its evidence:
--   behavior_rules     at least min_events events of the listed behaviour rules (| between ids) in
--                      the last window_days - hand-raisers: demo, contact and trial forms, price sheets
--   behavior_category  at least min_events events of one behaviour category in the last window_days
--   bant_rules         at least min_events of the listed BANT rules in the latest assessment
--   default            every lead
-- A disqualified lead gets no stage (int_lead_scores); its recommended action is 対応不要.
with

moments as (
    select * from {{ ref('int_lead_moments_to_score') }}
),

hits_aged as (
    select * from {{ ref('int_lead_behavior_hits_at_moments') }}
    where rule_kind = 'per_event'
),

bant_hits as (
    select * from {{ ref('int_lead_bant_rule_hits') }}
),

stage_rules as (
    select * from {{ ref('buying_stage_rules') }}
),

behavior_rules as (
    select * from {{ ref('behavior_rules') }}
),

-- The behaviour rules each stage rule counts, so that the event rows join on rule_id alone.
stage_rule_behaviors as (
    select
        stage_rules.evaluation_order,
        stage_rules.window_days,
        behavior_rules.rule_id
    from stage_rules
    inner join behavior_rules
        on (stage_rules.evidence_kind = 'behavior_category' and behavior_rules.category = stage_rules.evidence)
        or (
            stage_rules.evidence_kind = 'behavior_rules'
            and {{ in_pipe_list('behavior_rules.rule_id', 'stage_rules.evidence') }}
        )
),

behavior_evidence as (
    select
        hits_aged.lead_id,
        hits_aged.scoring_moment,
        stage_rule_behaviors.evaluation_order,
        sum(hits_aged.event_count) as evidence_count
    from hits_aged
    inner join stage_rule_behaviors
        on hits_aged.rule_id = stage_rule_behaviors.rule_id
    where hits_aged.age_days < stage_rule_behaviors.window_days
    group by 1, 2, 3
),

bant_evidence as (
    select
        bant_hits.lead_id,
        bant_hits.scoring_moment,
        stage_rules.evaluation_order,
        count(*) as evidence_count
    from bant_hits
    inner join stage_rules
        on stage_rules.evidence_kind = 'bant_rules'
        and {{ in_pipe_list('bant_hits.rule_id', 'stage_rules.evidence') }}
    group by 1, 2, 3
),

stage_matches as (
    select evidence.lead_id, evidence.scoring_moment, evidence.evaluation_order
    from (
        select * from behavior_evidence
        union all
        select * from bant_evidence
    ) as evidence
    inner join stage_rules
        on evidence.evaluation_order = stage_rules.evaluation_order
    where evidence.evidence_count >= stage_rules.min_events
    union all
    select moments.lead_id, moments.scoring_moment, stage_rules.evaluation_order
    from moments
    cross join stage_rules
    where stage_rules.evidence_kind = 'default'
),

first_matches as (
    select
        *,
        row_number() over (partition by lead_id, scoring_moment order by evaluation_order) as match_rank
    from stage_matches
),

final as (
    select
        first_matches.lead_id,
        first_matches.scoring_moment,
        stage_rules.buying_stage,
        stage_rules.label_ja as buying_stage_label_ja,
        stage_rules.priority,
        stage_rules.evaluation_order as stage_rule_order
    from first_matches
    inner join stage_rules
        on first_matches.evaluation_order = stage_rules.evaluation_order
    where first_matches.match_rank = 1
)

select * from final

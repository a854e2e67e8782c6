-- One row per lead x scoring moment with a positive score line: the three lines that add most to the
-- total score, in Japanese, so a sales rep sees at a glance why the lead is hot.
with

components as (
    select * from {{ ref('int_lead_score_components') }}
),

reasons_ranked as (
    select
        lead_id,
        scoring_moment,
        label_ja,
        row_number() over (
            partition by lead_id, scoring_moment order by total_score_exact desc, rule_id
        ) as reason_rank
    from components
    where total_score_exact > 0 and score_component <> 'total'
),

final as (
    select
        lead_id,
        scoring_moment,
        max(case when reason_rank = 1 then label_ja end) as top_reason_1,
        max(case when reason_rank = 2 then label_ja end) as top_reason_2,
        max(case when reason_rank = 3 then label_ja end) as top_reason_3
    from reasons_ranked
    where reason_rank <= 3
    group by 1, 2
)

select * from final

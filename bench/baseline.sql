-- The hand-written baseline: today's integrated score of every lead, straight from the export files,
-- in one DuckDB statement. It is what an analyst would write for this one job, with none of what
-- the pipeline adds (raw tables with lineage and quarantine, explanation lines, three scoring moments,
-- funnel, SLA and KPI marts, tests). bench/baseline.py creates its inputs first:
--   export_<name>   each export's rows, columns named as the raw loader names them, plus export_file
--   seed_<name>     the dbt seeds (scoring rules, weights, mappings), typed as dbt types them
--   label_maps      the dbt vars that map export labels to codes (var_name, label, code)
--   lead_custom_attributes   each lead version's custom columns (var custom_lead_attributes), unpivoted
-- and fills in the settings ({as_of_date}, {as_of_end_at} in UTC, the vars) as SQL literals.
-- The arithmetic is the pipeline's, down to the order of operations and the decimal sums, so that the
-- scores are identical to the cent (bench/run.py checks it).
create or replace table baseline_scores as
with

-- Leads and accounts: the newest version of each (last modified, then the later file).
leads as (
    select
        trim(lead_id) as lead_id,
        nullif(trim(account_id), '') as account_id,
        lower(string_split(normalize_text(email), '@')[2]) as email_domain,
        normalize_text(title) as job_title,
        normalize_text(department) as department,
        normalize_text(lead_source) as lead_source,
        coalesce(lower(nullif(trim(do_not_contact), '')) in (select label from true_labels), false)
            as is_do_not_contact,
        try_strptime(nullif(trim(created_date), ''), {timestamp_formats})
            - to_hours({utc_offset_hours}) as created_at
    from export_crm_leads
    where nullif(trim(lead_id), '') is not null
    qualify row_number() over (
        partition by trim(lead_id)
        order by try_strptime(nullif(trim(last_modified_date), ''), {timestamp_formats})
            desc nulls last, export_file desc
    ) = 1
),

accounts as (
    select
        trim(account_id) as account_id,
        normalize_text(industry) as industry,
        parse_japanese_number(employees) as employee_count,
        parse_japanese_number(annual_revenue) as annual_revenue_jpy,
        normalize_prefecture(prefecture) as prefecture
    from export_crm_accounts
    where nullif(trim(account_id), '') is not null
    qualify row_number() over (
        partition by trim(account_id)
        order by try_strptime(nullif(trim(last_modified_date), ''), {timestamp_formats})
            desc nulls last, export_file desc
    ) = 1
),

custom_attributes as (
    select lead_id, attribute, value_text
    from lead_custom_attributes
    qualify row_number() over (
        partition by lead_id, attribute
        order by try_strptime(nullif(trim(last_modified_date), ''), {timestamp_formats}) desc nulls last,
            export_file desc
    ) = 1
),

scored_leads as (
    select leads.*
    from leads
    where leads.created_at < {as_of_end_at}
),

-- The CRM status at the end of the as-of date (ties broken as staging keys status changes).
statuses as (
    select
        trim(lead_id) as lead_id,
        (select code from label_maps where var_name = 'lead_statuses' and label = nullif(trim(status), ''))
            as status,
        try_strptime(nullif(trim(changed_date), ''), {timestamp_formats})
            - to_hours({utc_offset_hours}) as changed_at,
        nullif(trim(status), '') as status_as_exported
    from export_crm_lead_status_history
),

status_at_as_of as (
    select lead_id, status
    from statuses
    where changed_at < {as_of_end_at}
    qualify row_number() over (
        partition by lead_id
        order by changed_at desc,
            md5(coalesce(lead_id, '') || '|' || coalesce(status_as_exported, '') || '|'
                || coalesce(cast(changed_at as varchar), ''))
    ) = 1
),

seniority as (
    select leads.lead_id, titles.job_seniority
    from scored_leads as leads
    inner join seed_job_title_seniority as titles
        on position(titles.title_contains in leads.job_title) > 0
    qualify row_number() over (partition by leads.lead_id order by titles.evaluation_order) = 1
),

lead_facts as (
    select
        leads.lead_id,
        accounts.industry,
        case when accounts.industry is not null then coalesce(industries.industry_group, 'other') end
            as industry_group,
        accounts.prefecture,
        regions.region,
        leads.job_title,
        coalesce(seniority.job_seniority, 'unknown') as job_seniority,
        leads.department,
        leads.email_domain,
        case when leads.email_domain is not null then coalesce(domains.email_type, 'business') end
            as email_type,
        leads.lead_source,
        channels.channel_code,
        cast(leads.is_do_not_contact as varchar) as is_do_not_contact,
        coalesce(status_at_as_of.status, 'new') as crm_status,
        accounts.employee_count,
        accounts.annual_revenue_jpy
    from scored_leads as leads
    left join accounts on leads.account_id = accounts.account_id
    left join seed_industry_groups as industries on accounts.industry = industries.industry
    left join seed_prefecture_regions as regions on accounts.prefecture = regions.prefecture
    left join seniority on leads.lead_id = seniority.lead_id
    left join seed_email_domains as domains on leads.email_domain = domains.email_domain
    left join seed_lead_source_channels as channels on leads.lead_source = channels.lead_source
    left join status_at_as_of on leads.lead_id = status_at_as_of.lead_id
),

attributes as (
    select lead_id, attribute, value_text, value_number
    from (
        unpivot (
            select lead_id, industry, industry_group, prefecture, region, job_title, job_seniority, department,
                email_domain, email_type, lead_source, channel_code, is_do_not_contact, crm_status
            from lead_facts
        ) on columns(* exclude (lead_id)) into name attribute value value_text
    ), (select cast(null as double) as value_number)
    union all
    select lead_id, 'employee_count', cast(employee_count as varchar), cast(employee_count as double)
    from lead_facts where employee_count is not null
    union all
    select lead_id, 'annual_revenue_jpy', cast(annual_revenue_jpy as varchar), cast(annual_revenue_jpy as double)
    from lead_facts where annual_revenue_jpy is not null
    union all
    select custom.lead_id, custom.attribute, custom.value_text, try_cast(custom.value_text as double)
    from custom_attributes as custom
    inner join scored_leads on custom.lead_id = scored_leads.lead_id
    where custom.value_text is not null
),

-- Demographic and disqualifier rules test the same attributes the same way (seeds hold only the rule
-- rows in force on the as-of date: bench/baseline.py drops the others).
attribute_rules as (
    select 'demographic' as rule_set, rule_id, category, points, attribute, operator, value_text,
        value_min, value_max
    from seed_demographic_rules
    union all
    select 'disqualifier', rule_id, null, null, attribute, operator, value_text, value_min, value_max
    from seed_disqualifier_rules
),

attribute_rule_hits as (
    select attributes.lead_id, rules.rule_set, rules.rule_id, rules.category, rules.points
    from attributes
    inner join attribute_rules as rules
        on attributes.attribute = rules.attribute
        and (
            (rules.operator = 'equals' and lower(attributes.value_text) = lower(rules.value_text))
            or (rules.operator = 'in'
                and position('|' || lower(attributes.value_text) || '|' in '|' || lower(rules.value_text) || '|') > 0)
            or (rules.operator = 'between' and attributes.value_number is not null
                and (rules.value_min is null or attributes.value_number >= rules.value_min)
                and (rules.value_max is null or attributes.value_number < rules.value_max))
        )
),

attribute_hits as (
    select lead_id, rule_id, category, points from attribute_rule_hits where rule_set = 'demographic'
),

disqualified as (
    select distinct lead_id from attribute_rule_hits where rule_set = 'disqualifier'
),

-- Behaviour: every web activity and email event once (by its id), matched to the rules, counted per
-- lead x rule x Japan day up to the as-of date, then decayed by the day's age.
activities as (
    select
        any_value(trim(lead_id)) as lead_id,
        any_value(nullif(trim(activity_type), '')) as activity_type,
        any_value(try_strptime(nullif(trim(activity_date), ''), {timestamp_formats})) as event_local_at,
        any_value(nullif(trim(web_page_url), '')) as page_url,
        any_value(try_cast(nullif(trim(dwell_time_sec), '') as integer)) as dwell_seconds,
        any_value(nullif(trim(asset_type), '')) as detail_value
    from export_ma_activities
    group by trim(activity_id)
),

email_events as (
    select
        any_value(trim(lead_id)) as lead_id,
        any_value(lower(nullif(trim(event_type), ''))) as email_event_type,
        any_value(try_strptime(nullif(trim(event_date), ''), {timestamp_formats})) as event_local_at,
        any_value(lower(nullif(trim(bounce_type), ''))) as detail_value
    from export_ma_email_events
    group by trim(event_id)
),

activity_types as (
    select label, code from label_maps where var_name = 'ma_activity_types'
),

email_event_types as (
    select label, code from label_maps where var_name = 'email_event_types'
),

events as (
    select
        activities.lead_id,
        'web' as event_source,
        activity_types.code as event_type,
        case
            when page_url like '/%' then page_url
            when position('://' in page_url) = 0 then null
            when position('/' in substr(page_url, position('://' in page_url) + 3)) = 0 then '/'
            else substr(
                page_url,
                position('://' in page_url) + 2 + position('/' in substr(page_url, position('://' in page_url) + 3))
            )
        end as page_path,
        activities.detail_value,
        activities.dwell_seconds,
        activities.event_local_at
    from activities
    left join activity_types on activities.activity_type = activity_types.label
    union all
    select email_events.lead_id, 'email', email_event_types.code, null, email_events.detail_value, null,
        email_events.event_local_at
    from email_events
    left join email_event_types on email_events.email_event_type = email_event_types.label
),

daily_hits as (
    select
        events.lead_id,
        rules.rule_id,
        -- Japan date: the export's wall-clock time is Japan time already.
        cast(events.event_local_at as date) as event_date,
        count(*) as event_count
    from events
    inner join seed_behavior_rules as rules
        on events.event_source = rules.event_source
        and events.event_type = rules.event_type
    where (rules.path_pattern is null or coalesce(events.page_path, '') like rules.path_pattern)
        and (rules.detail_value is null or events.detail_value = rules.detail_value)
        and (rules.min_dwell_seconds is null or events.dwell_seconds >= rules.min_dwell_seconds)
        and cast(events.event_local_at as date) <= {as_of_date}
    group by 1, 2, 3
),

hits_aged as (
    select
        daily_hits.*,
        rules.category,
        rules.rule_kind,
        rules.points,
        rules.min_count,
        rules.window_days,
        date_diff('day', daily_hits.event_date::timestamp, {as_of_date}::timestamp) as age_days
    from daily_hits
    inner join seed_behavior_rules as rules on daily_hits.rule_id = rules.rule_id
    inner join scored_leads on daily_hits.lead_id = scored_leads.lead_id
),

-- Negative points decay too, unless their category sets an expiry (then they count in full until it).
per_event_points as (
    select
        hits_aged.lead_id,
        hits_aged.rule_id,
        hits_aged.category,
        case
            when max(hits_aged.points) > 0 or max(caps.negative_points_expire_after_days) is null
                then max(hits_aged.points) * cast(sum(cast(
                    hits_aged.event_count * power(0.5, hits_aged.age_days / cast({half_life_days} as double))
                    as decimal(38, 10))) as double)
            else cast(max(hits_aged.points) * sum(
                case when hits_aged.age_days < caps.negative_points_expire_after_days then hits_aged.event_count else 0 end
            ) as double)
        end as points_after_decay
    from hits_aged
    left join seed_behavior_category_caps as caps on hits_aged.category = caps.category
    where hits_aged.rule_kind = 'per_event'
    group by 1, 2, 3
),

distinct_day_points as (
    select lead_id, rule_id, category, max(points) as points_after_decay
    from hits_aged
    where rule_kind = 'distinct_days' and age_days < window_days
    group by 1, 2, 3
    having count(*) >= max(min_count)
),

attribute_behavior_points as (
    select attributes.lead_id, rules.rule_id, rules.category, cast(rules.points as double) as points_after_decay
    from attributes
    inner join seed_behavior_rules as rules
        on attributes.attribute = rules.event_type
    where (rules.rule_kind = 'attribute_at_least' and attributes.value_number >= rules.min_count)
        or (rules.rule_kind = 'attribute_within_days'
            and date_diff('day',
                cast(try_strptime(nullif(trim(attributes.value_text), ''), {date_formats}) as date)::timestamp,
                {as_of_date}::timestamp) between 0 and rules.window_days - 1)
),

behavior_rule_points as (
    select * from per_event_points
    union all
    select * from distinct_day_points
    union all
    select * from attribute_behavior_points
),

category_sums as (
    select
        points.lead_id,
        points.category,
        cast(sum(cast(points.points_after_decay as decimal(38, 10))) as double) as category_points,
        max(caps.max_points) as max_points,
        max(caps.min_points) as min_points
    from behavior_rule_points as points
    left join seed_behavior_category_caps as caps on points.category = caps.category
    group by 1, 2
),

-- BANT: the latest assessment entered before the end of the as-of date.
bant_latest as (
    select
        trim(lead_id) as lead_id,
        (select code from label_maps where var_name = 'bant_levels' and label = nullif(trim(budget), '')) as budget,
        (select code from label_maps where var_name = 'bant_authority_roles' and label = nullif(trim(authority), ''))
            as authority,
        (select code from label_maps where var_name = 'bant_levels' and label = nullif(trim(need), '')) as need,
        (select code from label_maps where var_name = 'bant_timelines' and label = nullif(trim(timeline), ''))
            as timeline
    from export_crm_bant_assessments
    where try_strptime(nullif(trim(assessed_date), ''), {timestamp_formats})
        - to_hours({utc_offset_hours}) < {as_of_end_at}
    qualify row_number() over (
        partition by trim(lead_id)
        order by try_strptime(nullif(trim(assessed_date), ''), {timestamp_formats}) desc,
            nullif(trim(assessment_id), '') desc
    ) = 1
),

bant_hits as (
    select bant_latest.lead_id, rules.rule_id, rules.points
    from (
        unpivot bant_latest on budget, authority, need, timeline into name dimension value level
    ) as bant_latest
    inner join seed_bant_rules as rules
        on bant_latest.dimension = rules.dimension and bant_latest.level = rules.level
),

-- Each component's rules scored on its 0-100 scale, exact to 12 decimals (scores are rounded once).
full_scales as (
    select
        (select sum(best) from (select max(points) as best from seed_demographic_rules group by category having max(points) > 0))
            as demographic_full_points,
        (select sum(best) from (select max(points) as best from seed_bant_rules group by dimension having max(points) > 0))
            as bant_full_points,
        cast({behavior_full_points} as double) as behavior_full_points
),

component_lines as (
    select lead_id, 'demographic' as score_component,
        cast(points * 100.0 / (select demographic_full_points from full_scales) as decimal(38, 12)) as points
    from attribute_hits
    union all
    select rule_points.lead_id, 'behavior',
        cast(
            rule_points.points_after_decay * case
                when sums.category_points > sums.max_points then sums.max_points / sums.category_points
                when sums.category_points < sums.min_points then sums.min_points / sums.category_points
                else 1.0
            end * 100.0 / (select behavior_full_points from full_scales) as decimal(38, 12))
    from behavior_rule_points as rule_points
    inner join category_sums as sums
        on rule_points.lead_id = sums.lead_id and rule_points.category = sums.category
    union all
    select lead_id, 'bant',
        cast(points * 100.0 / (select bant_full_points from full_scales) as decimal(38, 12))
    from bant_hits
),

-- Components kept within 0-100 by an adjustment line; every line weighted (BANT-assessed weights
-- once an assessment exists), exact.
component_sums as (
    select lead_id, score_component, sum(points) as raw_score
    from component_lines
    group by 1, 2
),

component_lines_clamped as (
    select lead_id, score_component, points from component_lines
    union all
    select lead_id, score_component,
        cast(least(greatest(raw_score, 0), 100) - raw_score as decimal(38, 12))
    from component_sums
    where raw_score < 0 or raw_score > 100
),

weighted_lines as (
    select
        lines.lead_id,
        lines.score_component,
        lines.points,
        cast(lines.points * cast(weights.weight as decimal(9, 6)) as decimal(38, 12)) as total_points
    from component_lines_clamped as lines
    left join bant_latest on lines.lead_id = bant_latest.lead_id
    inner join seed_integrated_weights as weights
        on lines.score_component = weights.score_component
        and weights.weight_set = case when bant_latest.lead_id is null then 'bant_not_assessed' else 'bant_assessed' end
),

lead_totals as (
    select
        lead_id,
        sum(case when score_component = 'demographic' then points end) as demographic_score,
        sum(case when score_component = 'behavior' then points end) as behavior_score,
        sum(case when score_component = 'bant' then points end) as bant_score,
        sum(total_points) as raw_total
    from weighted_lines
    group by 1
),

final as (
    select
        leads.lead_id,
        cast(round(coalesce(totals.demographic_score, 0), 2) as decimal(12, 2)) as demographic_score,
        cast(round(coalesce(totals.behavior_score, 0), 2) as decimal(12, 2)) as behavior_score,
        cast(round(totals.bant_score, 2) as decimal(12, 2)) as bant_score,
        -- Kept within 0-100, zeroed for a disqualified lead, rounded once.
        cast(case
            when disqualified.lead_id is not null then 0
            else round(coalesce(least(greatest(totals.raw_total, 0), 100), 0), 2)
        end as decimal(12, 2)) as total_score,
        disqualified.lead_id is not null as is_disqualified
    from scored_leads as leads
    left join lead_totals as totals on leads.lead_id = totals.lead_id
    left join disqualified on leads.lead_id = disqualified.lead_id
)

select * from final

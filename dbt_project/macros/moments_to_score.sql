{#- Past-moment scores (first_mql, decision) are computed once: a daily run scores every lead as of
    today (decay moves every day) but a past moment only when something it may depend on changed —
    the lead's evidence (int_lead_evidence_signatures), the moment's date, or the scoring inputs
    fingerprint below. int_lead_moments_to_score holds the moments a run scores; the tables that keep
    every moment (int_lead_attributes, int_lead_scores, int_lead_rule_evidence) replace only those. -#}

{#- Vars past-moment scores may depend on: every project var except scoring_as_of (which only decides
    which moments exist; a moment's own date is compared instead). tests/dbt_project keeps this list
    equal to dbt_project.yml's vars. -#}
{% macro scoring_fingerprint_vars() -%}
    {{ return([
        'behavior_half_life_days', 'behavior_full_score_points', 'decision_days_after_creation',
        'conversion_maturity_days', 'drift_baseline_months', 'drift_psi_alert', 'drift_share_floor',
        'drift_attributes', 'sla_business_day_start_hour', 'sla_business_day_end_hour',
        'first_contact_activity_types', 'first_contact_excluded_subjects', 'handoff_required_fields',
        'custom_lead_attributes', 'custom_account_attributes', 'after_contact_attributes',
        'before_decision_attributes', 'personal_data_placeholders', 'export_utc_offset_hours',
        'export_timestamp_formats', 'export_date_formats', 'export_month_formats', 'true_labels',
        'false_labels', 'unknown_value_labels', 'ma_activity_types', 'email_event_types', 'lead_statuses',
        'sales_activity_types', 'bant_levels', 'bant_authority_roles', 'bant_timelines', 'opportunity_stages',
    ]) }}
{%- endmacro %}

{#- One text that changes whenever anything a score is computed from changes, other than the data:
    a seed (rule points, weights, bands, mappings), a staging or intermediate model's code, a macro
    they call (and the macros those call), or a var. Seeds and models are known by dbt's checksums. -#}
{% macro scoring_inputs_fingerprint() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set parts = [] -%}
    {%- set macro_ids = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {%- if node.package_name == project_name and (node.resource_type == 'seed'
                or (node.resource_type == 'model' and node.path.split('/')[0] in ['staging', 'intermediate'])) -%}
            {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
            {%- for macro_id in node.depends_on.macros -%}
                {%- if macro_id not in macro_ids %}{% do macro_ids.append(macro_id) %}{% endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {#- Macros calling macros: two levels further cover ours (a loop cannot follow a list it extends). -#}
    {%- for level in range(2) -%}
        {%- for macro_id in macro_ids | list -%}
            {%- set name = macro_id.split('.')[-1] -%}
            {%- if macro_id.split('.')[1] == project_name and context[name] is defined -%}
                {%- for called in context[name].macro.depends_on.macros -%}
                    {%- if called not in macro_ids %}{% do macro_ids.append(called) %}{% endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for macro_id in macro_ids | sort -%}
        {%- set name = macro_id.split('.')[-1] -%}
        {%- if macro_id.split('.')[1] == project_name and context[name] is defined -%}
            {%- do parts.append(macro_id ~ '=' ~ local_md5(context[name].macro.macro_sql)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in scoring_fingerprint_vars() -%}
        {%- do parts.append(name ~ '=' ~ tojson(var(name))) -%}
    {%- endfor -%}
    {{- return(local_md5(parts | join('\n'))) -}}
{%- endmacro %}

{#- The scores a previous run left (int_lead_scores), when this run may reuse them: not on
    --full-refresh, and only from a table that records what its moments were scored from. -#}
{% macro held_scores_relation() -%}
    {%- if not execute or flags.FULL_REFRESH -%}{{ return(none) }}{%- endif -%}
    {%- set relation = adapter.get_relation(database=this.database, schema=this.schema, identifier='int_lead_scores') -%}
    {%- if relation is none or not holds_columns(relation, ['scoring_fingerprint', 'evidence_loaded_at', 'evidence_rows']) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{#- Config of a table that keeps every moment: a run deletes the moments it scores again and those that
    no longer exist, then appends the new rows. -#}
{% macro every_moment_config() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook="{% if is_incremental() %}delete from {{ this }} as held where exists (select 1 from "
            ~ "{{ ref('int_lead_moments_to_score') }} as scored where scored.lead_id = held.lead_id"
            ~ " and scored.scoring_moment = held.scoring_moment) or not exists (select 1 from"
            ~ " {{ ref('int_lead_scoring_moments') }} as moments where moments.lead_id = held.lead_id"
            ~ " and moments.scoring_moment = held.scoring_moment){% endif %}",
    ) }}
{%- endmacro %}

{#- Only the rows of the moments this run scores, from a table that keeps every moment. -#}
{% macro rows_of_moments_to_score(relation) -%}
    select held.*
    from {{ relation }} as held
    inner join {{ ref('int_lead_moments_to_score') }} as scored
        on held.lead_id = scored.lead_id
        and held.scoring_moment = scored.scoring_moment
{%- endmacro %}

{#- What a build computes from, besides the data, in one text that changes when any of it changes. Past-
    moment scores computed by an earlier run are kept only while it is unchanged
    (int_lead_moments_to_score), and data tests look at new rows only while it is unchanged (with the
    tests themselves: macros/tests/new_rows.sql). -#}

{#- Every project var except scoring_as_of (which decides which moments exist; a moment's own date is
    compared instead). tests/dbt_project keeps this list equal to dbt_project.yml's vars. -#}
{% macro fingerprinted_vars() -%}
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

{#- The seeds (rule points, weights, bands, mappings), the staging and intermediate models' code, the
    macros they call (and those these call), the vars, and with `with_tests` the data tests and their
    arguments. Seeds and models are known by dbt's checksums. -#}
{% macro build_inputs_fingerprint(with_tests=false) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set parts = [] -%}
    {%- set macro_ids = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {%- if node.package_name == project_name and (node.resource_type == 'seed'
                or (node.resource_type == 'model' and node.path.split('/')[0] in ['staging', 'intermediate'])
                or (with_tests and node.resource_type == 'test')) -%}
            {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
            {%- if node.resource_type == 'test' and node.test_metadata is defined and node.test_metadata -%}
                {%- do parts.append(tojson(node.test_metadata.kwargs, sort_keys=true)) -%}
            {%- endif -%}
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
    {%- for name in fingerprinted_vars() -%}
        {%- do parts.append(name ~ '=' ~ tojson(var(name))) -%}
    {%- endfor -%}
    {{- return(local_md5(parts | join('\n'))) -}}
{%- endmacro %}

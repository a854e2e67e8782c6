{#- Past-moment scores (first_mql, decision) are computed once: a daily run scores every lead as of
    today (decay moves every day) but a past moment only when something it may depend on changed —
    the lead's evidence (int_lead_evidence_signatures), the moment's date, or the build's inputs
    (macro build_inputs_fingerprint). int_lead_moments_to_score holds the moments a run scores; the tables that keep
    every moment (int_lead_attributes, int_lead_scores, int_lead_rule_evidence) replace only those. -#}

{#- The scores a previous run left (int_lead_scores), when this run may reuse them: not on
    --full-refresh, not where the tables that keep every moment are rebuilt whole (Spark), and only from
    a table that records what its moments were scored from. -#}
{% macro held_scores_relation() -%}
    {%- if not execute or flags.FULL_REFRESH or not keeps_rows_between_runs() -%}{{ return(none) }}{%- endif -%}
    {%- set relation = adapter.get_relation(database=this.database, schema=this.schema, identifier='int_lead_scores') -%}
    {%- if relation is none or not holds_columns(relation, ['scoring_fingerprint', 'evidence_loaded_at', 'evidence_rows']) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{#- Config of a table that keeps every moment: a run deletes the moments it scores again and those that
    no longer exist, then appends the new rows. -#}
{% macro every_moment_config() -%}
    {{ incremental_config({
        'incremental_strategy': 'append',
        'on_schema_change': 'append_new_columns',
        'pre_hook': "{% if is_incremental() %}delete from {{ this }} as held where exists (select 1 from "
            ~ "{{ ref('int_lead_moments_to_score') }} as scored where scored.lead_id = held.lead_id"
            ~ " and scored.scoring_moment = held.scoring_moment) or not exists (select 1 from"
            ~ " {{ ref('int_lead_scoring_moments') }} as moments where moments.lead_id = held.lead_id"
            ~ " and moments.scoring_moment = held.scoring_moment){% endif %}",
    }) }}
{%- endmacro %}

{#- Only the rows of the moments this run scores, from a table that keeps every moment. -#}
{% macro rows_of_moments_to_score(relation) -%}
    select held.*
    from {{ relation }} as held
    inner join {{ ref('int_lead_moments_to_score') }} as scored
        on held.lead_id = scored.lead_id
        and held.scoring_moment = scored.scoring_moment
{%- endmacro %}

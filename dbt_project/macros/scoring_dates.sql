{#- The date scores are computed as of (var scoring_as_of, YYYY-MM-DD; default: today in Japan).
    Everything up to the end of that Japan day counts; nothing after it does, so a past score can
    be reproduced exactly by setting the var. -#}
{% macro scoring_as_of_date() -%}
    {%- set configured = var('scoring_as_of', none) -%}
    {%- if configured -%}
        {%- set parsed = modules.datetime.date.fromisoformat(configured | string) -%}
    {%- else -%}
        {%- set parsed = (run_started_at + modules.datetime.timedelta(hours=var('export_utc_offset_hours'))).date() -%}
    {%- endif -%}
    {{- return(parsed) -}}
{%- endmacro %}

{#- The as-of date as a SQL date literal. -#}
{% macro as_of_date_literal() -%}
    cast('{{ scoring_as_of_date().isoformat() }}' as date)
{%- endmacro %}

{#- The first instant after the as-of date (midnight Japan time) in UTC: events before it count. -#}
{% macro as_of_end_utc_literal() -%}
    {%- set end_of_day = modules.datetime.datetime.combine(scoring_as_of_date(), modules.datetime.time())
        + modules.datetime.timedelta(days=1, hours=-var('export_utc_offset_hours')) -%}
    cast('{{ end_of_day.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}

{#- A rule row is in force on the as-of date: valid_from <= as-of < valid_to (an empty valid_from:
    always was; an empty valid_to: still is). -#}
{% macro is_active_as_of(valid_from='valid_from', valid_to='valid_to') -%}
    (({{ valid_from }} is null or {{ valid_from }} <= {{ as_of_date_literal() }}) and ({{ valid_to }} is null or {{ valid_to }} > {{ as_of_date_literal() }}))
{%- endmacro %}

{#- A score value as computed: a decimal to 12 places, so sums and weights are exact. Scores are
    rounded once, for display (cents_adding_up). -#}
{% macro exact_score(expression) -%}
    cast({{ expression }} as decimal(38, 12))
{%- endmacro %}

{#- Exact values shown in cents that add up, within each `partition_by` group, to the group's exact sum
    rounded to cents: each value is floored to cents and the cents still missing go to the values
    that lost most (largest remainder; ties by `tiebreak`). The lines of an explanation so sum to the
    score shown. -#}
{% macro cents_adding_up(exact, partition_by, tiebreak) -%}
    cast((
        floor({{ exact }} * 100)
        + case
            when row_number() over (
                partition by {{ partition_by }}
                {#- Fractions equal to 6 places are a tie: float noise (which differs between engines)
                    must not decide which line gets the cent. #}
                order by round({{ exact }} * 100 - floor({{ exact }} * 100), 6) desc, {{ tiebreak }}
            ) <= round(sum({{ exact }}) over (partition by {{ partition_by }}), 2) * 100
                - sum(floor({{ exact }} * 100)) over (partition by {{ partition_by }})
                then 1
            else 0
        end
    ) / 100 as decimal(12, 2))
{%- endmacro %}

{#- A rule row is in force on a per-row date (a scoring moment's as_of_date). -#}
{% macro is_active_on(as_of_date, rules='rules') -%}
    (({{ rules }}.valid_from is null or {{ rules }}.valid_from <= {{ as_of_date }}) and ({{ rules }}.valid_to is null or {{ rules }}.valid_to > {{ as_of_date }}))
{%- endmacro %}

{#- Stops the run when a rule seed has no row in force on the as-of date (scoring would be NULL or
    all zero without a word): the message names the seed and its valid_from. Refs are taken at parse
    time, so the calling model depends on the seeds it checks. -#}
{% macro require_rows_in_force(seeds) -%}
    {%- set relations = [] -%}
    {%- for seed in seeds -%}
        {%- do relations.append((seed, ref(seed))) -%}
    {%- endfor -%}
    {%- if execute -%}
        {%- for seed, relation in relations -%}
            {%- set found = run_query("select sum(case when " ~ is_active_as_of() ~ " then 1 else 0 end), count(*), cast(min(valid_from) as " ~ api.Column.translate_type('string') ~ ") from " ~ relation) -%}
            {%- set in_force, rows, earliest = found.rows[0][0], found.rows[0][1], found.rows[0][2] -%}
            {%- if rows and not in_force -%}
                {{ exceptions.raise_compiler_error(
                    "No row of seed " ~ seed ~ " is in force on the as-of date " ~ scoring_as_of_date()
                    ~ " (var scoring_as_of): its earliest valid_from is " ~ earliest ~ ". Score a later date, or give"
                    ~ " the rows an earlier valid_from in seeds/.../" ~ seed ~ ".csv (empty: always in force).") }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- A timestamp as known on the as-of date: NULL when it is later (a past as-of date shows nothing
    that happened after it). -#}
{% macro known_by_as_of(timestamp) -%}
    case when {{ timestamp }} < {{ as_of_end_utc_literal() }} then {{ timestamp }} end
{%- endmacro %}

-- One row per alert and route of the delivery log (alerting/delivery_log.py), as the refresh copied it
-- at its start: a run sees the deliveries of the runs before it, since its own alerts go out after it
-- publishes. Before the first delivery there is no copy, and no rows.
{%- set columns = {
    'alert_id': dbt.type_string(),
    'route_id': dbt.type_string(),
    'channel': dbt.type_string(),
    'lead_id': dbt.type_string(),
    'owner_user_id': dbt.type_string(),
    'scored_as_of': 'date',
    'status': dbt.type_string(),
    'attempts': dbt.type_int(),
    'queued_at': dbt.type_timestamp(),
    'first_attempt_at': dbt.type_timestamp(),
    'last_attempt_at': dbt.type_timestamp(),
    'sent_at': dbt.type_timestamp(),
    'error': dbt.type_string(),
} %}
{%- set delivery_log = source('alerting', 'alert_deliveries') %}
{%- set copied = execute and adapter.get_relation(
    database=delivery_log.database, schema=delivery_log.schema, identifier=delivery_log.identifier
) is not none %}

with

source as (
    {%- if copied %}
    select * from {{ delivery_log }}
    {%- else %}
    select
        {%- for column, type in columns.items() %}
        cast(null as {{ type }}) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    where 1 = 0
    {%- endif %}
),

typed as (
    select
        {%- for column, type in columns.items() %}
        cast({{ column }} as {{ type }}) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from source
),

final as (
    select
        alert_id,
        route_id,
        channel,
        lead_id,
        owner_user_id,
        scored_as_of,
        status as delivery_status,
        attempts as delivery_attempts,
        queued_at,
        first_attempt_at,
        last_attempt_at,
        sent_at,
        -- A refused recipient's address can be in the error: it stays out of the marts.
        {{ scrub_personal_data('error') }} as delivery_error
    from typed
)

select * from final

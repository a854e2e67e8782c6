{#- Two CTEs, band_shares and psi, for a population stability index by month.
    counts: a relation with one row per month x bucket (every bucket in every month, zero counts
    included) and the count of leads in it. band_shares adds each bucket's share of its month and its
    share over the previous var drift_baseline_months months; psi sums, per month,
    (share - baseline) x ln(share / baseline), shares floored at var drift_share_floor so an empty
    bucket does not divide by zero. The first month has no baseline and no PSI. -#}
{% macro drift_shares(counts, month, bucket, count_column, extra_partition=none) -%}
{%- set partition = ([extra_partition] if extra_partition else []) %}
band_shares as (
    select
        *,
        cast({{ count_column }} as double) / nullif(sum({{ count_column }}) over (partition by {{ (partition + [month]) | join(', ') }}), 0)
            as share,
        cast(sum({{ count_column }}) over (
            partition by {{ (partition + [bucket]) | join(', ') }} order by {{ month }}
            range between interval {{ var('drift_baseline_months') }} month preceding and interval 1 month preceding
        ) as double) / nullif(sum({{ count_column }}) over (
            {{ ('partition by ' ~ partition | join(', ')) if partition }} order by {{ month }}
            range between interval {{ var('drift_baseline_months') }} month preceding and interval 1 month preceding
        ), 0) as baseline_share
    from {{ counts }}
),

psi as (
    select
        {{ (partition + [month]) | join(', ') }},
        {%- set floor = var('drift_share_floor') %}
        {{ exact_sum(
            '(greatest(share, ' ~ floor ~ ') - greatest(baseline_share, ' ~ floor ~ '))'
            ~ ' * ln(greatest(share, ' ~ floor ~ ') / greatest(baseline_share, ' ~ floor ~ '))'
        ) }} as psi
    from band_shares
    group by {{ (partition + [month]) | join(', ') }}
    having count(baseline_share) > 0
),
{%- endmacro %}

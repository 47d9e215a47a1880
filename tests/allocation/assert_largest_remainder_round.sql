-- largest_remainder_round: every case names its amounts and the cents each row must get. Fails on every row whose
-- rounded amount differs from the expected one (case, row, actual, expected).
{%- set cases = [
    ('thirds of 100.00: the first row takes the spare cent', none,
        [(1, 33.333333333333336, 33.34), (2, 33.333333333333336, 33.33), (3, 33.333333333333336, 33.33)]),
    ('a tie on half a cent goes to the first row', none, [(1, 0.005, 0.01), (2, 0.005, 0.0)]),
    ('a credit in thirds: rounded down, then cents given back', none,
        [(1, -3.3333333333333335, -3.33), (2, -3.3333333333333335, -3.33), (3, -3.3333333333333335, -3.34)]),
    ('one target: half a cent rounds away from zero', none, [(1, 12.345, 12.35)]),
    ('one negative target', none, [(1, -12.345, -12.35)]),
    ('binary noise does not lose a cent', none, [(1, 0.29, 0.29), (2, 0.57, 0.57)]),
    ('a total just below half a cent rounds down (found at 20M rows)', none,
        [(1, 100.0, 100.0), (2, 35.6049999955, 35.6)]),
    ('charges and a credit in one partition', none, [(1, 5.005, 5.0), (2, -2.002, -2.0)]),
    ('the largest remainder wins over the order', none,
        [(1, 0.101, 0.1), (2, 0.104, 0.1), (3, 0.105, 0.11)]),
    ('many targets: 1.00 over seven', none,
        [(1, 1 / 7, 0.15), (2, 1 / 7, 0.15), (3, 1 / 7, 0.14), (4, 1 / 7, 0.14), (5, 1 / 7, 0.14),
         (6, 1 / 7, 0.14), (7, 1 / 7, 0.14)]),
    ('a given total above the rounded sum', 1.01, [(1, 0.3333, 0.34), (2, 0.3333, 0.33), (3, 0.3334, 0.34)]),
    ('a given total below the sum of the rounded-down amounts: the last row gives the cent back', 0.99,
        [(1, 0.5, 0.5), (2, 0.5, 0.49)]),
    ('cents taken back from the smallest remainders', 0.98,
        [(1, 0.339, 0.33), (2, 0.331, 0.32), (3, 0.335, 0.33)]),
    ('zero and null stay zero', none, [(1, 0.0, 0.0), (2, none, 0.0)]),
] %}

with cases as (
    {%- for name, total, rows in cases %}
    {%- set case_loop = loop %}
    {%- for row_number, amount, expected in rows %}
    select
        {{ case_loop.index }} as case_id,
        {{ aoai_finops.sql_string_literal(name) }} as case_name,
        {{ row_number }} as row_order,
        cast({{ 'null' if amount is none else amount }} as double) as amount,
        cast({{ 'null' if total is none else total }} as double) as case_total,
        cast({{ expected }} as double) as expected
    {%- if not (case_loop.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

default_totals as (
    {{ largest_remainder_round('cases', ['amount'], partition_by=['case_id'], order_by=['row_order']) }}
),

given_totals as (
    {{ largest_remainder_round('cases', ['amount'], partition_by=['case_id'], order_by=['row_order'],
                               totals={'amount': 'case_total'}) }}
),

actual as (
    select
        case_id,
        case_name,
        row_order,
        amount_rounded,
        expected
    from default_totals
    where case_total is null
    union all
    select
        case_id,
        case_name,
        row_order,
        amount_rounded,
        expected
    from given_totals
    where case_total is not null
)

select
    case_name,
    row_order,
    amount_rounded,
    expected
from actual
where abs(amount_rounded - expected) > 0.000001

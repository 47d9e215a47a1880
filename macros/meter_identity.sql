{#-
    A meter is identified by these cost-row columns; int_cost_meters has one row per distinct combination
    (nulls as empty strings, so the identity can be joined on) and every cost row joins back to it.
-#}
{% macro meter_identity() %}
    {{ return([
        ('x_SkuMeterId', 'meter_id'),
        ('SkuMeter', 'meter_name'),
        ('x_SkuMeterCategory', 'meter_category'),
        ('x_SkuMeterSubcategory', 'meter_subcategory'),
        ('x_PricingUnitDescription', 'unit_of_measure'),
    ]) }}
{% endmacro %}

{#- The meter's identity columns, as int_cost_meters names them. -#}
{% macro meter_identity_columns() %}
    {{ return(meter_identity() | map(attribute=1) | list) }}
{% endmacro %}

{#- The cost row's meter identity, as int_cost_meters stores it. -#}
{% macro meter_identity_value(row_alias, row_column) -%}
    coalesce({{ row_alias }}.{{ row_column }}, '')
{%- endmacro %}

{#- Join condition from a cost row to its meter in int_cost_meters (or a model keyed like it). -#}
{% macro meter_identity_join(row_alias, meter_alias) -%}
    {%- for row_column, meter_column in meter_identity() %}
        {{ 'and ' if not loop.first }}{{ meter_identity_value(row_alias, row_column) }} = {{ meter_alias }}.{{ meter_column }}
    {%- endfor %}
{%- endmacro %}

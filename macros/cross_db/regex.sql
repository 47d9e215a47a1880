{#-
    Regular expressions. Patterns are data (seed columns), never SQL literals: DuckDB and Spark read
    backslashes in string literals differently (docs/portability.md).

    Both engines take the pattern per row, so it can be a column. Write patterns in the common subset of RE2
    (DuckDB) and java.util.regex (Spark): character classes, \d \s \w, anchors, groups, alternation,
    quantifiers, inline flags such as (?i). Not portable: lookaround and backreferences (RE2 has none),
    possessive quantifiers, \p{...} classes beyond the basics.
-#}

{#- regex_matches(value, pattern): true if the pattern matches anywhere in value (search, not full match);
    null if value or pattern is null. Anchor with ^...$ for a full match. -#}
{% macro regex_matches(value, pattern) %}
    {{ return(adapter.dispatch('regex_matches', 'aoai_finops')(value, pattern)) }}
{% endmacro %}

{% macro default__regex_matches(value, pattern) -%}
    regexp_matches({{ value }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_matches(value, pattern) -%}
    ({{ value }} rlike {{ pattern }})
{%- endmacro %}

{#- regex_extract(value, pattern, group=0): the text of capture group `group` (0 = whole match) of the first
    match; null when the pattern does not match (both engines natively return '' there) or value is null.
    `group` is a literal integer. A group that does not take part in the match gives ''. -#}
{% macro regex_extract(value, pattern, group=0) %}
    {{ return(adapter.dispatch('regex_extract', 'aoai_finops')(value, pattern, group)) }}
{% endmacro %}

{% macro default__regex_extract(value, pattern, group=0) -%}
    case when regexp_matches({{ value }}, {{ pattern }}) then regexp_extract({{ value }}, {{ pattern }}, {{ group | int }}) end
{%- endmacro %}

{% macro spark__regex_extract(value, pattern, group=0) -%}
    case when {{ value }} rlike {{ pattern }} then regexp_extract({{ value }}, {{ pattern }}, {{ group | int }}) end
{%- endmacro %}

{#- regex_replace_all(value, pattern, replacement): every match replaced by `replacement` (a plain string:
    backreferences differ, \1 on DuckDB, $1 on Spark, so none are supported). DuckDB's regexp_replace replaces
    only the first match unless given the 'g' option; Spark's replaces all. -#}
{% macro regex_replace_all(value, pattern, replacement) %}
    {{ return(adapter.dispatch('regex_replace_all', 'aoai_finops')(value, pattern, replacement)) }}
{% endmacro %}

{% macro default__regex_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}

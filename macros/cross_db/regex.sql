{#-
    Regular expressions, the engine-specific part (docs/architecture.md, "Portability").

    Both macros take SQL expressions (a column name, or any expression) and are safe to call with a
    pattern column read from a seed. Patterns follow the rules in docs/meter-intelligence.md: they start
    with `(?i)`, use only syntax RE2 (DuckDB) and java.util.regex (Spark) read the same way, and contain no
    backslash, so they never go through a string literal's escaping.

    regex_matches(value, pattern) -> boolean
        true when `pattern` matches anywhere in `value` (search, not full match); null when `value` is null.

    regex_extract(value, pattern, group) -> string
        the text captured by group number `group` (an integer literal, 0 = the whole match) of the first
        match; '' when there is no match or the group took no part in it; null when `value` is null.
        The group must exist in the pattern (both engines raise an error otherwise): append empty groups
        `()` to a pattern to guarantee it.
-#}

{% macro regex_matches(value, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'aoai_finops')(value, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(value, pattern) -%}
    regexp_matches({{ value }}, {{ pattern }})
{%- endmacro %}


{% macro regex_extract(value, pattern, group) -%}
    {{ return(adapter.dispatch('regex_extract', 'aoai_finops')(value, pattern, group)) }}
{%- endmacro %}

{% macro default__regex_extract(value, pattern, group) -%}
    regexp_extract({{ value }}, {{ pattern }}, {{ group }})
{%- endmacro %}

-- Quarantined rows grouped by file, column and kind of reason (the values that vary inside a reason, such as the
-- id in "customer_id C9 not found", are left out), with one example each: a small table, never the rows themselves.
-- The total row (reason_kind null) is always there: Evidence writes no file for an empty result, and a page
-- asking for a missing one logs an error.
with reasons as (
    select
        source,
        table_name,
        regexp_extract(file, '[^/\\]+$') as file_name,
        coalesce(column_name, '(whole line)') as column_name,
        regexp_replace(regexp_replace(reason, ' \(first seen on .*\)$', ''), '^(\S+) .* (not found in .*)$', '\1 … \2') as reason_kind,
        raw_value,
        row_number
    from quarantine
)
select
    source,
    table_name,
    file_name,
    column_name,
    reason_kind,
    count(*) as rows_quarantined,
    min(row_number) as first_row_number,
    arg_min(raw_value, row_number) as example_raw_value
from reasons
group by grouping sets ((source, table_name, file_name, column_name, reason_kind), ())
order by reason_kind is null, rows_quarantined desc
limit 51

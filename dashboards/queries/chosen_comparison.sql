-- The chosen comparison's label, e.g. "Oct 2025 → Oct 2026 (12 months)".
select comparison_label from ${comparisons} where comparison_key = '${inputs.comparison.value}'

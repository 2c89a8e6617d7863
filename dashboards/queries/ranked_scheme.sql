-- Whether the chosen scheme is ranked (rank 1 = top): upgrades and downgrades mean something only there.
select '${inputs.scheme.value}' in ('value', 'abc', 'score') as is_ranked

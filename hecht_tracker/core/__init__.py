"""The domain: records, dates, rules and every derived fact, as typed values; no I/O."""

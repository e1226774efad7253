-- KEK rotation re-wraps a payload's data key without rewriting its content: the envelope header
-- keeps the original wrap (its digest authenticates every chunk), and the re-wrap lives here.
-- NULL: the header's wrap is in force. key_id always names the key that unwraps the data key now.
ALTER TABLE payloads
  ADD COLUMN data_key_nonce   BYTEA,
  ADD COLUMN data_key_wrapped BYTEA,
  ADD COLUMN rewrapped_at     TIMESTAMPTZ,
  ADD CONSTRAINT payloads_rewrap_complete CHECK ((data_key_nonce IS NULL) = (data_key_wrapped IS NULL)
                                                AND (data_key_nonce IS NULL) = (rewrapped_at IS NULL));
CREATE INDEX payloads_key_id ON payloads (key_id) WHERE key_id IS NOT NULL;
-- Quarantine: a payload that broke its route's rules is stored but served to nobody until a data
-- admin releases it. quarantine_reason names the rule; released_* record who let it out and when.
ALTER TABLE payloads
  ADD COLUMN quarantine_reason TEXT,
  ADD COLUMN quarantined_at    TIMESTAMPTZ,
  ADD COLUMN released_by       TEXT,
  ADD COLUMN released_at       TIMESTAMPTZ,
  ADD CONSTRAINT payloads_quarantine_shape CHECK ((quarantine_reason IS NULL) = (quarantined_at IS NULL)
                                                  AND (released_at IS NULL) = (released_by IS NULL)
                                                  AND (released_at IS NULL OR quarantined_at IS NOT NULL));
CREATE INDEX payloads_quarantined ON payloads (quarantined_at) WHERE quarantined_at IS NOT NULL AND released_at IS NULL;

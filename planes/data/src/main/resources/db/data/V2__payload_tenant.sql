-- Payloads belong to a tenant: callers of another tenant do not see them. NULL: stored by an
-- unscoped principal for no tenant (every payload stored before this migration), visible only
-- to unscoped principals.
ALTER TABLE payloads ADD COLUMN tenant TEXT CHECK (tenant IS NULL OR tenant ~ '^[a-z0-9][a-z0-9-]{0,62}$');

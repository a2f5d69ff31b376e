-- The last TOTP time step accepted per user: a code works once (RFC 6238 section 5.2).
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

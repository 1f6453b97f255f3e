-- The JDBC token store's table (discord.token-store=jdbc). The name discord_tokens is replaced by
-- discord.token-store.table when the library creates it (discord.token-store.create-table=true).
-- access_token and refresh_token hold sealed values only (AES-GCM, "kid.nonce.ciphertext", see discord.token-store.keys);
-- no token is stored in plaintext. expires_at is epoch milliseconds; scopes are space-separated.
CREATE TABLE IF NOT EXISTS discord_tokens (
    user_id       VARCHAR(32)   NOT NULL PRIMARY KEY,
    access_token  VARCHAR(2048) NOT NULL,
    refresh_token VARCHAR(2048),
    expires_at    BIGINT        NOT NULL,
    scopes        VARCHAR(1024) NOT NULL,
    version       BIGINT        NOT NULL,
    updated_at    BIGINT        NOT NULL
)

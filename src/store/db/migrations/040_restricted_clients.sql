-- Restricted clients are few (001: AB 352 sensitive services): a team change by anyone but
-- the account owner is checked against every one of them (core/safeguards.ts), so a partial
-- index finds them without reading the practice's clients.
create index clients_restricted on chartguard.clients (practice_id, id) where restricted;

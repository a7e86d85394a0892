-- pgaudit object auditing: every INSERT, UPDATE and DELETE on a table of read_model is logged, whoever runs
-- it (the projections, an operator, an attacker with the application's password), because the audit role is
-- granted those privileges there. Parameters stay out of the log (pgaudit.log_parameter=off): rows hold e-mails.
CREATE EXTENSION IF NOT EXISTS pgaudit;
CREATE ROLE pgaudit_auditor NOLOGIN;
-- The schema belongs to the owner role (00-roles.sh), whose migrations create its tables.
CREATE SCHEMA IF NOT EXISTS read_model AUTHORIZATION seatledger_owner;
ALTER DEFAULT PRIVILEGES FOR ROLE seatledger_owner IN SCHEMA read_model GRANT INSERT, UPDATE, DELETE ON TABLES TO pgaudit_auditor;

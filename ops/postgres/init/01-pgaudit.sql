-- pgaudit object auditing: every INSERT, UPDATE and DELETE on a table of read_model is logged, whoever runs
-- it (the projections, an operator, an attacker with the application's password), because the audit role is
-- granted those privileges there. Parameters stay out of the log (pgaudit.log_parameter=off): rows hold e-mails.
CREATE EXTENSION IF NOT EXISTS pgaudit;
CREATE ROLE pgaudit_auditor NOLOGIN;
CREATE SCHEMA IF NOT EXISTS read_model AUTHORIZATION CURRENT_USER;
ALTER DEFAULT PRIVILEGES IN SCHEMA read_model GRANT INSERT, UPDATE, DELETE ON TABLES TO pgaudit_auditor;

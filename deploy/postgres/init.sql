-- Generated from the platform topology (SfpPlatform.Topology) by tools/SfpPlatform.Deploy. Do not edit.
-- Run by postgres-init (psql -v ON_ERROR_STOP=1) as postgres on every start; idempotent.
\set ON_ERROR_STOP on
\getenv auth_password AUTH_DB_PASSWORD
\if :{?auth_password}
\else
  \warn 'AUTH_DB_PASSWORD is not set: GoTrue''s role needs a password.'
  SELECT 1/0 AS "AUTH_DB_PASSWORD is not set";
\endif

-- Hatchet migrates its database but does not create it. CREATE DATABASE cannot run in a transaction or a DO
-- block, so psql runs it only when the database is missing.
SELECT 'CREATE DATABASE hatchet'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hatchet') \gexec
SELECT 'CREATE DATABASE sfp'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'sfp') \gexec

-- GoTrue (supabase/auth hack/init_postgres.sql): its own role, owner of schema auth in the platform
-- database, with search_path=auth (its migrations create unqualified types and alter
-- auth.schema_migrations). The password follows AUTH_DB_PASSWORD on every start.
SELECT format('CREATE ROLE %I LOGIN NOINHERIT CREATEROLE NOREPLICATION', 'supabase_auth_admin')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'supabase_auth_admin') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', 'supabase_auth_admin', :'auth_password') \gexec
ALTER ROLE supabase_auth_admin SET search_path = auth;

\connect sfp
CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION supabase_auth_admin;
ALTER SCHEMA auth OWNER TO supabase_auth_admin;
GRANT CREATE, CONNECT ON DATABASE sfp TO supabase_auth_admin;
-- A migration grants SELECT on its tables to postgres WITH GRANT OPTION, and Studio reads them as postgres.
GRANT USAGE ON SCHEMA auth TO postgres;

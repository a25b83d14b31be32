namespace SfpPlatform.Topology.Services;

/// <summary>
/// The SQL <see cref="ServiceNames.PostgresInit"/> runs with psql before GoTrue, Hatchet and the platform's services
/// start, on every start: each statement is idempotent, so it sets up a fresh volume and repairs an existing one
/// (Postgres's /docker-entrypoint-initdb.d would run only once, on an empty volume).
/// </summary>
public static class PostgresInit
{
    /// <summary>The environment variable the script reads GoTrue's role password from (psql <c>\getenv</c>).</summary>
    public const string AuthPasswordVariable = "AUTH_DB_PASSWORD";

    public static string Render() => $$"""
        -- Generated from the platform topology (SfpPlatform.Topology) by tools/SfpPlatform.Deploy. Do not edit.
        -- Run by {{ServiceNames.PostgresInit}} (psql -v ON_ERROR_STOP=1) as {{ServiceNames.PostgresUser}} on every start; idempotent.
        \set ON_ERROR_STOP on
        \getenv auth_password {{AuthPasswordVariable}}
        \if :{?auth_password}
        \else
          \warn '{{AuthPasswordVariable}} is not set: GoTrue''s role needs a password.'
          SELECT 1/0 AS "{{AuthPasswordVariable}} is not set";
        \endif

        -- Hatchet migrates its database but does not create it. CREATE DATABASE cannot run in a transaction or a DO
        -- block, so psql runs it only when the database is missing.
        SELECT 'CREATE DATABASE {{ServiceNames.HatchetDatabase}}'
         WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{{ServiceNames.HatchetDatabase}}') \gexec
        SELECT 'CREATE DATABASE {{ServiceNames.Database}}'
         WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{{ServiceNames.Database}}') \gexec

        -- GoTrue (supabase/auth hack/init_postgres.sql): its own role, owner of schema {{ServiceNames.AuthSchema}} in the platform
        -- database, with search_path={{ServiceNames.AuthSchema}} (its migrations create unqualified types and alter
        -- {{ServiceNames.AuthSchema}}.schema_migrations). The password follows AUTH_DB_PASSWORD on every start.
        SELECT format('CREATE ROLE %I LOGIN NOINHERIT CREATEROLE NOREPLICATION', '{{ServiceNames.AuthRole}}')
         WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{{ServiceNames.AuthRole}}') \gexec
        SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', '{{ServiceNames.AuthRole}}', :'auth_password') \gexec
        ALTER ROLE {{ServiceNames.AuthRole}} SET search_path = {{ServiceNames.AuthSchema}};

        \connect {{ServiceNames.Database}}
        CREATE SCHEMA IF NOT EXISTS {{ServiceNames.AuthSchema}} AUTHORIZATION {{ServiceNames.AuthRole}};
        ALTER SCHEMA {{ServiceNames.AuthSchema}} OWNER TO {{ServiceNames.AuthRole}};
        GRANT CREATE, CONNECT ON DATABASE {{ServiceNames.Database}} TO {{ServiceNames.AuthRole}};
        -- A migration grants SELECT on its tables to postgres WITH GRANT OPTION, and Studio reads them as postgres.
        GRANT USAGE ON SCHEMA {{ServiceNames.AuthSchema}} TO {{ServiceNames.PostgresUser}};

        """;
}

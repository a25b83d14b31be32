#!/usr/bin/env node
'use strict';
// Stands in for the sfp CLI where the real one needs a real org (validate's deployment, release's install). It is the
// pinned sfp itself up to that point: the command class of tools/sfp, its flag parsing (required, unknown and
// dependent flags; the dev hub flag resolved against the workspace's auth store) and the org lookup its execute
// starts with (an alias missing from the auth store is refused as sfp refuses it). Only the work against the org is
// replaced: it says what it was handed, checks the git refs as sfp's impact analysis does, and fails when the source
// has a FAIL file (SLOW: waits that many seconds first; INSTALL: installs the named artifacts through the
// workspace's npm configuration, as sfp release --npm fetches them).
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync, spawnSync } = require('node:child_process');

const sfpRoot = path.resolve(__dirname, '..', '..', 'tools', 'sfp', 'node_modules', '@flxbl-io', 'sfp');
const load = (name) => require(require.resolve(name, { paths: [sfpRoot] }));
const { Config } = load('@oclif/core');
const { Org } = load('@salesforce/core');

// The flags whose value names an org of the auth store.
const orgFlags = ['targetorg', 'targetusername', 'targetdevhubusername', 'devhubalias'];

// sfp release up to the install: each release definition read by sfp's own loader (YAML checked against its schema),
// each artifact fetched from the npm registry by sfp's own fetcher (npm pack @scope/<package>_sfpowerscripts_artifact@
// <version> with --npmrcpath copied to .npmrc), then the call recorded where SFP_STAND_IN_CALLS says.
async function release(flags, orgs) {
  const ReleaseDefinitionLoader = require(path.join(sfpRoot, 'lib', 'impl', 'release', 'ReleaseDefinitionLoader')).default;
  const { FetchAnArtifactFromNPM } = require(path.join(sfpRoot, 'lib', 'impl', 'artifacts', 'FetchAnArtifactFromNPM'));
  const fetched = [];
  const releases = [];
  for (const file of flags.releasedefinition) {
    const definition = await ReleaseDefinitionLoader.loadReleaseDefinition(file);
    releases.push(definition.release);
    const directory = fs.mkdtempSync(path.join(process.cwd(), '.release-'));
    const fetcher = new FetchAnArtifactFromNPM(flags.scope, flags.npmrcpath);
    for (const [name, version] of Object.entries(definition.artifacts)) {
      fetcher.fetchArtifact(name, directory, version, false);
      const tarball = fs.readdirSync(directory).find((f) => f.startsWith(`${flags.scope}-${name.toLowerCase()}_sfpowerscripts_artifact-${version}`));
      if (!tarball) throw new Error(`npm pack wrote no tarball for ${name}@${version}`);
      fetched.push(`${name}@${version}`);
      console.log(`fetched ${name} ${version} (${tarball})`);
    }
  }

  if (process.env.SFP_STAND_IN_CALLS) {
    fs.appendFileSync(process.env.SFP_STAND_IN_CALLS, JSON.stringify({
      command: 'release', targetorg: flags.targetorg, org: orgs[0], scope: flags.scope, releases, artifacts: fetched,
      project: process.env.SFP_PROJECT, environment: process.env.SFP_ENVIRONMENT,
    }) + '\n');
  }

  console.log(`released ${releases.join(', ')} to ${orgs[0]}: ${fetched.join(' ')}`);
}

async function main() {
  const config = await Config.load(sfpRoot);
  const argv = process.argv.slice(2);
  let words = Math.min(3, argv.length);
  while (words > 0 && !config.findCommand(argv.slice(0, words).join(':'))) words--;
  if (words === 0) throw new Error(`sfp has no command ${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}`);
  const id = argv.slice(0, words).join(':');
  const RealCommand = await config.findCommand(id).load();

  class StandIn extends RealCommand {
    async execute() {
      const orgs = [];
      for (const flag of orgFlags.filter((f) => this.flags[f])) {
        const org = await Org.create({ aliasOrUsername: this.flags[flag] });
        orgs.push(`${flag} ${this.flags[flag]} = ${org.getUsername()}`);
      }

      console.log(`stand-in for sfp ${id.replace(/:/g, ' ')} (no org here): ${orgs.join(', ')}`);
      if (id === 'release') {
        await release(this.flags, orgs);
        return;
      }

      console.log(`registry: ${process.env.NPM_CONFIG_REGISTRY}`);
      console.log(`pull request: ${process.env.SFP_REPOSITORY}#${process.env.SFP_PULL_REQUEST} at ${process.env.SFP_HEAD_SHA}`);
      if (this.flags.ref && this.flags.baseRef) {
        // What sfp's impact analysis runs: both refs must be commits of the workspace's repository.
        const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
        const mergeBase = git('merge-base', this.flags.ref, this.flags.baseRef);
        const changed = git('diff', '--no-renames', '--name-only', this.flags.ref, mergeBase).split('\n').filter(Boolean);
        console.log(`changes since ${mergeBase}: ${changed.length === 0 ? 'none' : changed.join(' ')}`);
      }

      if (fs.existsSync('INSTALL')) {
        fs.mkdirSync('.artifacts', { recursive: true });
        const artifacts = fs.readFileSync('INSTALL', 'utf8').trim().split(/\s+/);
        const npm = spawnSync('npm', ['install', '--prefix', '.artifacts', '--no-save', ...artifacts], { encoding: 'utf8' });
        if (npm.status !== 0) {
          console.log(`npm install failed:\n${(npm.stdout + npm.stderr).split('\n').slice(-6).join('\n')}`);
          process.exit(3);
        }

        for (const artifact of artifacts) {
          const name = artifact.slice(0, artifact.lastIndexOf('@'));
          const manifest = JSON.parse(fs.readFileSync(path.join('.artifacts', 'node_modules', name, 'package.json'), 'utf8'));
          console.log(`installed ${name} ${manifest.version}`);
        }
      }

      if (fs.existsSync('SLOW')) {
        console.log('deploying to the validation org…');
        await new Promise((resolve) => setTimeout(resolve, Number(fs.readFileSync('SLOW', 'utf8')) * 1000));
      }

      if (fs.existsSync('FAIL')) {
        console.log(`validation failed: ${fs.readFileSync('FAIL', 'utf8').trim()}`);
        process.exit(1);
      }

      const packages = JSON.parse(fs.readFileSync('sfdx-project.json', 'utf8')).packageDirectories.length;
      console.log(`validated ${packages} package(s) against ${orgs[0] ?? 'no org'}`);
    }
  }

  StandIn.id = id;
  await StandIn.run(argv.slice(words), config);
}

main().catch(load('@oclif/core/handle'));

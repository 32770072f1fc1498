// An xAPI 2.0 client run by tests/e2e/test_xapijs_client.py: xAPI.js (@xapi/xapi) stores a
// statement whose context names an instructor in contextAgents and a team in contextGroups,
// then reads it back by id and finds it through the instructor with related_agents.
// Reads the job from argv[2] (JSON) and prints what the LRS answered as one JSON line.
const XAPI = require("@xapi/xapi").default;

async function main() {
  const job = JSON.parse(process.argv[2]);
  const xapi = new XAPI({
    endpoint: job.endpoint,
    auth: XAPI.toBasicAuth(job.key, job.secret),
    version: "2.0.0",  // the library's types list 1.0.x only; it sends what it is given
  });
  const sent = await xapi.sendStatement({ statement: job.statement });
  const byId = await xapi.getStatement({ statementId: job.statement.id });
  const related = await xapi.getStatements({
    agent: job.instructor, related_agents: true,
  });
  const narrow = await xapi.getStatements({ agent: job.instructor });
  console.log(JSON.stringify({
    sent: sent.data,
    version_header: byId.headers["x-experience-api-version"],
    statement: byId.data,
    related: related.data.statements.map((s) => s.id),
    narrow: narrow.data.statements.map((s) => s.id),
  }));
}

main().catch((err) => {
  const response = err.response ? { status: err.response.status, data: err.response.data } : {};
  console.log(JSON.stringify({ error: String(err), ...response }));
  process.exit(1);
});

/* samples/federation against two sample STS processes: an identity STS that knows users
 * (--users) and a second STS that takes the identity token as a supporting token. Checks the
 * sample's output (both tokens, their issuers, audiences and keys), and that a wrong password
 * ends it with WS_E_ENDPOINT_FAULT_RECEIVED and the fault's reason.
 *
 * Usage: capi_federation_test <wst-sample-sts> <tests/sts/data> <wst-federation-sample> */
#define _POSIX_C_SOURCE 200809L

#include "channel_fixture.h"

static char output[1 << 17];

/* Runs the sample with `args` (NULL-terminated, without argv[0]); its stdout and stderr go to
   `output`. Returns its exit status, -1 if it did not exit normally. */
static int run_sample(const char* binary, const char* const* args) {
  int fds[2], status = 0;
  size_t n = 0, argc = 0;
  char* argv[16];
  pid_t pid;
  argv[argc++] = (char*)binary;
  while (args[argc - 1] != NULL && argc < 15) {
    argv[argc] = (char*)args[argc - 1];
    ++argc;
  }
  argv[argc] = NULL;
  output[0] = '\0';
  if (pipe(fds) != 0) return -1;
  pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    execv(binary, argv);
    _exit(127);
  }
  close(fds[1]);
  for (;;) {
    ssize_t got = read(fds[0], output + n, sizeof output - 1 - n);
    if (got <= 0) break;
    n += (size_t)got;
    if (n == sizeof output - 1) break;
  }
  output[n] = '\0';
  close(fds[0]);
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int has(const char* needle) { return strstr(output, needle) != NULL; }

/* The part of the output from `from` on (empty when absent). */
static const char* section(const char* from) {
  const char* p = strstr(output, from);
  return p != NULL ? p : "";
}

int main(int argc, char** argv) {
  sts_process idp, sts;
  char dir[256], users[512], audience[512];
  const char* sample;
  if (argc < 4 || fixture_init(argc, argv) != 0) {
    fprintf(stderr, "usage: %s <wst-sample-sts> <tests/sts/data> <wst-federation-sample>\n",
            argv[0]);
    return 2;
  }
  sample = argv[3];
  if (make_temp_dir(dir, sizeof dir) != 0 ||
      write_temp_file(dir, "users", "alice:wonderland\n", users, sizeof users) != 0)
    return 2;
  {
    const char* idp_args[] = {"--users", users, "--issuer", "urn:wst:idp", NULL};
    const char* sts_args[] = {"--issuer", "urn:wst:federation-sts", "--token-type", "saml11", NULL};
    CHECK(start_sts(&idp, 1, idp_args) == 0);
    CHECK(start_sts(&sts, 1, sts_args) == 0);
  }
  if (idp.pid > 0 && sts.pid > 0) {
    const char* ok[] = {idp.url, "alice", "wonderland", sts.url, "https://rp.example/app",
                        ca_file, NULL};
    const char* wrong[] = {idp.url, "alice", "rabbit", sts.url, "https://rp.example/app",
                           ca_file, NULL};
    const char* untrusted[] = {idp.url, "alice", "wonderland", sts.url, "https://rp.example/app",
                               NULL};
    int status = run_sample(sample, ok);
    CHECK(status == 0);
    /* The identity token: SAML 2.0 from the identity STS, for the second STS, keyed. */
    CHECK(has("identity token:\n  proof key: symmetric, 256 bits"));
    CHECK(strstr(section("identity token:"), "Issuer>urn:wst:idp</") != NULL);
    snprintf(audience, sizeof audience, "Audience>%s</", sts.url);
    CHECK(strstr(section("identity token:"), audience) != NULL);
    CHECK(strstr(section("identity token:"), "alice") != NULL); /* the authenticated subject */
    /* The service token: SAML 1.1 from the second STS, for the relying party. */
    CHECK(has("service token:\n  proof key: symmetric, 256 bits"));
    CHECK(strstr(section("service token:"), "Issuer=\"urn:wst:federation-sts\"") != NULL);
    CHECK(strstr(section("service token:"), "Audience>https://rp.example/app</") != NULL);
    CHECK(has("valid till 2"));
    if (status != 0 || check_failed != 0) fprintf(stderr, "%s\n", output);

    status = run_sample(sample, wrong);
    CHECK(status == 1);
    CHECK(has("0x803D0013")); /* WS_E_ENDPOINT_FAULT_RECEIVED */
    CHECK(has("wrong password"));
    CHECK(!has("identity token:"));

    status = run_sample(sample, untrusted); /* the system bundle does not know the test CA */
    CHECK(status == 1);
    CHECK(has("0x803D000A")); /* WS_E_SECURITY_VERIFICATION_FAILURE */
  }
  CHECK(sts_stop(&sts) == 0);
  CHECK(sts_stop(&idp) == 0);
  remove(users);
  rmdir(dir);
  return finish();
}

/* The sample STS (wst-sample-sts) as a child process of a C test, plus small POSIX helpers
 * the channel tests share: a temporary directory, files in it, a one-shot event.
 *
 * Include after defining _POSIX_C_SOURCE 200809L (before any system header).
 *
 *   sts_process sts;
 *   const char* args[] = {"--https", "--key", key, "--cert", cert, NULL};
 *   if (sts_start(&sts, sts_binary, args) != 0) ...;   // sts.url = "https://127.0.0.1:PORT/"
 *   ...
 *   sts_stop(&sts);                                      // SIGTERM, then waits for it
 */
#ifndef WST_TESTS_CAPI_STS_PROCESS_H
#define WST_TESTS_CAPI_STS_PROCESS_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__GNUC__)
#define STS_MAYBE_UNUSED __attribute__((unused))
#else
#define STS_MAYBE_UNUSED
#endif

typedef struct {
  pid_t pid;
  int out; /* read end of its stdout, kept open until it exits */
  char url[256];
} sts_process;

/* Starts `binary` with `args` (NULL-terminated, without argv[0]) and waits up to 60 s for its
   "listening <url>" line. 0 on success; -1 (with a message on stderr) otherwise. */
STS_MAYBE_UNUSED static int sts_start(sts_process* p, const char* binary, const char* const* args) {
  int fds[2];
  size_t n = 0, argc = 0;
  char line[512];
  char* argv[64];
  p->pid = -1;
  p->out = -1;
  p->url[0] = '\0';
  argv[argc++] = (char*)binary;
  while (args[n] != NULL && argc < 63) argv[argc++] = (char*)args[n++];
  argv[argc] = NULL;
  if (pipe(fds) != 0) return -1;
  p->pid = fork();
  if (p->pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (p->pid == 0) {
    /* Never outlive the test, even when it crashes. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() == 1) _exit(126);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execv(binary, argv);
    _exit(127);
  }
  close(fds[1]);
  p->out = fds[0];
  n = 0;
  for (;;) {
    struct pollfd pfd;
    char c;
    ssize_t got;
    pfd.fd = p->out;
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (poll(&pfd, 1, 60000) <= 0) break;
    got = read(p->out, &c, 1);
    if (got <= 0) break;
    if (c == '\n') {
      line[n] = '\0';
      if (strncmp(line, "listening ", 10) == 0 && strlen(line + 10) < sizeof p->url) {
        strcpy(p->url, line + 10);
        return 0;
      }
      n = 0;
      continue;
    }
    if (n + 1 < sizeof line) line[n++] = c;
  }
  fprintf(stderr, "sts_start: %s printed no 'listening' line\n", binary);
  kill(p->pid, SIGKILL);
  waitpid(p->pid, NULL, 0);
  close(p->out);
  p->pid = -1;
  return -1;
}

/* Stops it (SIGTERM) and waits; returns its exit status (-1 if it did not exit normally). */
STS_MAYBE_UNUSED static int sts_stop(sts_process* p) {
  int status = 0;
  if (p->pid <= 0) return -1;
  kill(p->pid, SIGTERM);
  if (waitpid(p->pid, &status, 0) != p->pid) status = -1;
  if (p->out >= 0) close(p->out);
  p->pid = -1;
  p->out = -1;
  return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The port of an http(s)://127.0.0.1:PORT/ url, 0 if there is none. */
STS_MAYBE_UNUSED static int url_port(const char* url) {
  const char* colon = strrchr(url, ':');
  return colon != NULL ? atoi(colon + 1) : 0;
}

/* A fresh directory under $TMPDIR (or /tmp) in `dir` (at least 256 bytes); 0 on success. */
STS_MAYBE_UNUSED static int make_temp_dir(char* dir, size_t size) {
  const char* base = getenv("TMPDIR");
  if (base == NULL || base[0] == '\0') base = "/tmp";
  if ((size_t)snprintf(dir, size, "%s/wst-capi-XXXXXX", base) >= size) return -1;
  return mkdtemp(dir) != NULL ? 0 : -1;
}

/* Writes `text` to dir/name; the full path goes to `path` (at least 512 bytes). 0 on success. */
STS_MAYBE_UNUSED static int write_temp_file(const char* dir, const char* name, const char* text,
                                            char* path, size_t size) {
  FILE* f;
  if ((size_t)snprintf(path, size, "%s/%s", dir, name) >= size) return -1;
  f = fopen(path, "w");
  if (f == NULL) return -1;
  fputs(text, f);
  return fclose(f) == 0 ? 0 : -1;
}

STS_MAYBE_UNUSED static void sleep_ms(long ms) {
  struct timespec t;
  t.tv_sec = ms / 1000;
  t.tv_nsec = (ms % 1000) * 1000000L;
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

/* A one-shot event between threads: set once, waited for with a timeout. */
typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int set;
} event;

STS_MAYBE_UNUSED static void event_init(event* e) {
  pthread_mutex_init(&e->mu, NULL);
  pthread_cond_init(&e->cv, NULL);
  e->set = 0;
}

STS_MAYBE_UNUSED static void event_destroy(event* e) {
  pthread_cond_destroy(&e->cv);
  pthread_mutex_destroy(&e->mu);
}

STS_MAYBE_UNUSED static void event_set(event* e) {
  pthread_mutex_lock(&e->mu);
  ++e->set;
  pthread_cond_broadcast(&e->cv);
  pthread_mutex_unlock(&e->mu);
}

/* 1 once set (how many times it was set goes to e->set), 0 after `ms` milliseconds. */
STS_MAYBE_UNUSED static int event_wait(event* e, long ms) {
  struct timespec until;
  int ok;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += ms / 1000;
  until.tv_nsec += (ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec += 1;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&e->mu);
  while (!e->set)
    if (pthread_cond_timedwait(&e->cv, &e->mu, &until) != 0) break;
  ok = e->set != 0;
  pthread_mutex_unlock(&e->mu);
  return ok;
}

#endif

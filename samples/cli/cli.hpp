// wst-token: shared declarations of the command-line client.
#pragma once

#include <wst/client.hpp>

#include <iosfwd>
#include <optional>
#include <string>

namespace wst_token {

// Process exit codes, one per class of failure (documented in --help and docs/cli.md).
enum exit_code : int {
  exit_ok = 0,
  exit_internal = 1,       // a wst bug or resource failure
  exit_usage = 2,          // bad command line
  exit_config = 3,         // invalid options, unsupported request, unreadable TLS files
  exit_unreachable = 4,    // DNS, connection, timeout, busy STS (retryable)
  exit_tls = 5,            // TLS verification or handshake failure
  exit_refused = 6,        // the STS refused: SOAP fault, HTTP 401
  exit_bad_response = 7,   // the reply is not a usable WS-Trust response
  exit_aborted = 8,        // cancelled or shutting down
};

struct cli_options {
  wst::request_options request;
  bool json = false;
  bool show_token = false;
  bool show_key = false;
  std::optional<std::string> output_file;  // token XML written here (created 0600)
};

// Parses argv. On success returns nullopt and fills `out`; otherwise the exit code to use
// (exit_ok for --help) after the text in `message` has been printed by the caller.
std::optional<int> parse_command_line(int argc, char** argv, cli_options& out, std::string& message);
std::string usage();

int exit_code_for(const wst::error& e);
void print_summary(std::ostream& os, const wst::token& t, const cli_options& o);
void print_json(std::ostream& os, const wst::token& t, const cli_options& o);
void print_error_json(std::ostream& os, const wst::error& e, int code);

}  // namespace wst_token

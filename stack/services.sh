# shellcheck shell=bash
build_services() { :; }
migrate_all() { :; }
start_services() { :; }
stop_services() { :; }
start_proxy() { :; }
stop_proxy() { :; }
bootstrap_project() { :; }
print_quickstart() { :; }
print_status() { :; }

"""The composition root: argv -> paths -> config -> service -> the reader or a command."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import shutil
import sys
from collections.abc import Sequence

import tui.commands
from tui import __version__
from tui.commands.common import Parser, UsageError, fail
from tui.core.config import Config, load_config
from tui.core.errors import ConfigError, YueduError
from tui.core.paths import HOME_ENV, Paths, resolve_paths

USAGE_STATUS = 2
"""argparse's and POSIX tools' exit status for a command line that cannot be run."""


def _files_epilog() -> str:
    paths = resolve_paths()
    return f"""\
files (${HOME_ENV} or --home DIR puts them all under DIR):
  config  {paths.config_file}  (--config FILE reads another)
  cache   {paths.database}
  backup  {paths.opml_backup}  (subscriptions as OPML)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="yuedu",
        description="A terminal news reader that typesets Chinese, Japanese and Korean text.",
        epilog=_files_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"yuedu {__version__}")
    parser.add_argument("--home", metavar="DIR", help="keep config and cache under DIR")
    parser.add_argument(
        "--config", metavar="FILE", help="read this config file instead of config.toml"
    )
    parser.add_argument("--demo", action="store_true", help="open the reader on bundled feeds")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    # Each module of tui.commands adds its own subcommands; a new command is a new module.
    groups = [
        importlib.import_module(f"tui.commands.{module.name}")
        for module in pkgutil.iter_modules(tui.commands.__path__)
    ]
    for commands in sorted(groups, key=lambda group: getattr(group, "HELP_ORDER", 100)):
        register = getattr(commands, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "width", None) is not None and args.width < 1:
            raise UsageError("yuedu: --width must be at least 1")
        if getattr(args, "limit", None) is not None and args.limit < 0:
            raise UsageError("yuedu: --limit must be 0 or more")
        return _dispatch(args)
    except UsageError as exc:
        fail(str(exc))
        return USAGE_STATUS
    except YueduError as exc:
        fail(f"yuedu: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `yuedu entries | head` closes the pipe early; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.home, args.config)
    paths_command = getattr(args, "paths_command", None)
    if paths_command is not None:
        return int(paths_command(paths, args))
    if args.config is not None and not paths.config_file.is_file():
        raise ConfigError("no such file", subject=str(paths.config_file))
    config = load_config(paths.config_file)
    if args.demo and args.command != "render":
        if args.command:
            raise UsageError("yuedu: --demo opens the reader; it takes no command")
        return _run_demo(config.for_reader())
    if args.command is None:
        return _run_reader(paths, config.for_reader())
    if args.config_command is not None:
        return int(args.config_command(config, args))  # needs no cache
    if getattr(args, "parses_feeds", False) and not config.sync.enabled:
        _start_early()
    from tui.core.service import FeedService

    _announce_upgrade(paths)
    with FeedService.open(paths, config) as service:
        if service.recovery is not None:
            fail(f"yuedu: {service.recovery.message()}")
        return int(args.service_command(service, args))


def _start_early() -> None:
    """What a refresh would wait for, started before the imports and the cache: the fork
    server imports the parser on the other core, and OpenSSL loads the CA bundle off this
    thread, so that the first downloads and the first bodies find both ready."""
    from tui.core.refresh.forkserver import start_fork_server

    start_fork_server()  # first: it imports nothing of its own
    from tui.core.feeds.fetch import load_certificates_early

    load_certificates_early()


def _run_reader(paths: Paths, config: Config) -> int:
    from tui.core.service import FeedService
    from tui.ui.app import run_app

    _announce_upgrade(paths)
    with FeedService.open(paths, config) as service:
        return run_app(service)


def _announce_upgrade(paths: Paths) -> None:
    from tui.core.store.upgrade import ENTRIES_A_SECOND, entries_to_index_again

    entries = entries_to_index_again(paths.database)
    if entries >= ENTRIES_A_SECOND:
        seconds = round(entries / ENTRIES_A_SECOND)
        fail(
            f"yuedu: updating the cache: the search index of {entries:,} entries is built "
            f"again, once (about {seconds} s)"
        )


def _run_demo(config: Config) -> int:
    """The reader on bundled feeds, served on 127.0.0.1 into a throwaway home, with the
    user's config (how text is shown, keys, theme)."""
    from tui.core.service import FeedService
    from tui.demo import DemoServer, demo_opml, make_demo_home
    from tui.ui.app import run_app

    home = make_demo_home()
    try:
        paths = resolve_paths(home)
        with DemoServer() as server, FeedService.open(paths, config) as service:
            subscriptions = home / "demo.opml"
            subscriptions.write_text(demo_opml(server), encoding="utf-8")
            service.import_subscriptions(subscriptions)
            service.refresh_blocking()
            return run_app(service, demo=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["ConfigError", "build_parser", "main"]

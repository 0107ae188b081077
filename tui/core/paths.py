"""Where yuedu keeps its files. Nothing is created until a caller asks for it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "yuedu"
HOME_ENV = "YUEDU_HOME"


@dataclass(frozen=True, slots=True)
class Paths:
    config_dir: Path
    data_dir: Path
    config_override: Path | None = None
    """A config file named on the command line (--config), read instead of config.toml."""

    @property
    def config_file(self) -> Path:
        return self.config_override or self.config_dir / "config.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "cache.db"

    @property
    def opml_backup(self) -> Path:
        """Subscriptions, rewritten atomically after every change, to rebuild a lost cache."""
        return self.data_dir / "subscriptions.opml"

    @property
    def state_file(self) -> Path:
        """The reader's last view, restored on the next start."""
        return self.data_dir / "state.json"

    def ensure(self) -> None:
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)


def resolve_paths(
    home: str | os.PathLike[str] | None = None, config: str | os.PathLike[str] | None = None
) -> Paths:
    """--home wins, then $YUEDU_HOME, then the platform's user directories; --config names
    the config file wherever the rest lives."""
    override = Path(config).expanduser().absolute() if config is not None else None
    chosen = home if home is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser().absolute()
        return Paths(config_dir=root, data_dir=root, config_override=override)
    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_override=override,
    )

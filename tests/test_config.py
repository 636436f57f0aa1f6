"""The settings registry: precedence, validation, documentation."""

from __future__ import annotations

import dataclasses
import pkgutil
import re
from pathlib import Path

import pytest

import primenews
from primenews.config import Settings, load_settings, setting_docs
from primenews.errors import ConfigError

README = Path(__file__).resolve().parent.parent / "README.md"


def test_environment_beats_file_beats_default(tmp_path: Path) -> None:
    toml = tmp_path / "primenews.toml"
    toml.write_text('[primenews]\nper_host_delay = 2.5\nuser_agent = "FromFile/1"\n')
    loaded = load_settings({"PRIMENEWS_USER_AGENT": "FromEnv/2"}, toml)
    assert loaded.settings.user_agent == "FromEnv/2"
    assert loaded.settings.per_host_delay == 2.5
    assert loaded.settings.max_redirects == 5
    assert loaded.origins["user_agent"] == "env PRIMENEWS_USER_AGENT"
    assert loaded.origins["per_host_delay"] == f"file {toml}"
    assert loaded.origins["max_redirects"] == "default"


def test_types_are_coerced_from_the_environment() -> None:
    loaded = load_settings(
        {"PRIMENEWS_ALLOW_PRIVATE_NETWORKS": "yes", "PRIMENEWS_MAX_BODY_BYTES": "1_048_576"}
    )
    assert loaded.settings.allow_private_networks is True
    assert loaded.settings.max_body_bytes == 1_048_576


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PRIMENEWS_MAX_REDIRECTS": "many"}, "expected an integer"),
        ({"PRIMENEWS_FETCH_TIMEOUT": "0"}, "must be greater than 0"),
        ({"PRIMENEWS_DATABASE_URL": "mysql://x"}, "must start with sqlite:///"),
        ({"PRIMENEWS_RESPECT_ROBOTS": "perhaps"}, "expected true or false"),
        ({"PRIMENEWS_MIN_ARTICLE_QUALITY": "1.5"}, "between 0 and 1"),
    ],
)
def test_bad_values_give_clear_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        load_settings(env)
    name = next(iter(env)).removeprefix("PRIMENEWS_").lower()
    assert name in str(info.value)


def test_unknown_file_settings_and_bad_toml_are_refused(tmp_path: Path) -> None:
    toml = tmp_path / "p.toml"
    toml.write_text("[primenews]\nno_such_setting = 1\n")
    with pytest.raises(ConfigError, match="no_such_setting"):
        load_settings({}, toml)
    toml.write_text("this is = = not toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings({}, toml)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings({}, tmp_path / "missing.toml")


def test_replace_validates() -> None:
    with pytest.raises(ConfigError):
        Settings().replace(global_concurrency=0)
    assert Settings().replace(per_host_delay=0.0).per_host_delay == 0.0


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    names = {f.name for f in dataclasses.fields(Settings)}
    assert names <= documented, f"undocumented settings: {sorted(names - documented)}"
    assert all(help_text for *_rest, help_text in setting_docs())


def test_public_api_all_is_complete() -> None:
    submodules = {m.name for m in pkgutil.iter_modules(primenews.__path__)}
    public = {n for n in dir(primenews) if not n.startswith("_")}
    assert public - submodules - {"annotations", "logging"} <= set(primenews.__all__)
    assert all(hasattr(primenews, name) for name in primenews.__all__)

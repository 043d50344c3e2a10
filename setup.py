"""Compile the apps' gettext catalogues into the wheel.

Everything else is declared in ``pyproject.toml``. The ``.mo`` files are not kept in git
(``*.mo`` in ``.gitignore``), so the build writes them from the ``.po`` files with polib (a
build requirement), like ``manage.py compile_catalogues`` does: a fresh clone builds a wheel
that speaks every language, without GNU gettext.
"""

from pathlib import Path

import polib
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogues(build_py):
    """``build_py`` that also writes ``locale/*/LC_MESSAGES/*.mo`` next to each ``.po``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            # An editable install reads the source tree, so compile there.
            for source, _ in self._catalogues():
                self._compile(source, source.with_suffix(".mo"))

    def build_package_data(self) -> None:
        super().build_package_data()
        for source, target in self._catalogues():
            self._compile(source, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        return outputs + [str(target) for _, target in self._catalogues()]

    def _catalogues(self) -> list[tuple[Path, Path]]:
        """(``.po`` in the source tree, ``.mo`` in the build directory) of every package."""
        pairs = []
        for _package, src_dir, build_dir, filenames in self.data_files:
            for filename in filenames:
                name = Path(filename)
                if name.suffix == ".po" and name.parent.name == "LC_MESSAGES":
                    target = Path(build_dir, name).with_suffix(".mo")
                    pairs.append((Path(src_dir, name), target))
        return pairs

    def _compile(self, source: Path, target: Path) -> None:
        self.mkpath(str(target.parent))
        polib.pofile(str(source)).save_as_mofile(str(target))


setup(cmdclass={"build_py": BuildPyWithCatalogues})

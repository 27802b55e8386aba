"""Builds the optional compiled kernel; everything else is in pyproject.toml.

Each extension is optional: where no C compiler is at hand the build warns and the
package installs as pure Python, which gives the same output (``cleaner.linescan``).
"""

from setuptools import setup

try:
    from Cython.Build import cythonize
except ImportError:  # Cython is a build requirement; a bare setup.py call may lack it
    extensions = []
else:
    extensions = cythonize(["cleaner/_linescan.pyx"], language_level=3, quiet=True)
    for extension in extensions:
        extension.optional = True

setup(ext_modules=extensions)

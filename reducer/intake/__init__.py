"""Compile commands from real builds: pasted ``make V=1`` lines, compile_commands.json,
Kbuild ``.o.cmd`` files, cleaned so candidates compile in private directories.

- ``commandline``: the pure clean-up of a pasted argv (its -o and source go, flags that
  write files elsewhere go, ``-c`` exactly once);
- ``compdb``: the entry for a file in compile_commands.json;
- ``kbuild``: the command in a Kbuild ``.o.cmd`` and the directory it ran in;
- ``options``: the CLI options (``-C``, ``-p``, ``--kbuild-cmd``) and their precedence.
"""

#!/bin/sh
# Install hcl's shell completions and man pages.
#   scripts/install-extras.sh                       # for this user
#   PREFIX=/usr/local sudo -E scripts/install-extras.sh   # system-wide
# DESTDIR is honoured for packaging.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${PREFIX:-}" ]; then
    share="${DESTDIR:-}$PREFIX/share"
    bash_dir="$share/bash-completion/completions"
    zsh_dir="$share/zsh/site-functions"
    fish_dir="$share/fish/vendor_completions.d"
    man_dir="$share/man/man1"
else
    data="${XDG_DATA_HOME:-$HOME/.local/share}"
    bash_dir="$data/bash-completion/completions"
    zsh_dir="$data/zsh/site-functions"
    fish_dir="${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions"
    man_dir="$data/man/man1"
fi
install -d "$bash_dir" "$zsh_dir" "$fish_dir" "$man_dir"
install -m 644 "$here/completions/hcl.bash" "$bash_dir/hcl"
install -m 644 "$here/completions/_hcl" "$zsh_dir/_hcl"
install -m 644 "$here/completions/hcl.fish" "$fish_dir/hcl.fish"
for page in "$here"/man/*.1; do
    install -m 644 "$page" "$man_dir/"
done
echo "installed completions into $bash_dir, $zsh_dir, $fish_dir"
echo "installed $(ls "$here"/man/*.1 | wc -l) man pages into $man_dir"
case "$zsh_dir" in
    */zsh/site-functions) echo "zsh: make sure $zsh_dir is in your fpath" ;;
esac

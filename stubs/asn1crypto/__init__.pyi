# asn1crypto 1.5.1 ships no type information; pyHanko's types name its classes. See stubs/README.md.

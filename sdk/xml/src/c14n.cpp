// implemented by the foundation issue

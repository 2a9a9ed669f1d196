"""Validity checks that combine factor analysis and CFA.

``common_method`` (the public :func:`common_method_bias`): Harman's single-factor test by
principal components and by ``psych::fa``, the single-factor CFA against the measurement model
and the unmeasured latent method construct (ULMC), as lavaan fits them.

May import: the shared analysis modules (``inputs``), ``factor`` (the extraction behind
``psych::fa``) and ``sem`` (the CFA engine, model syntax); no other analysis subpackage.
"""

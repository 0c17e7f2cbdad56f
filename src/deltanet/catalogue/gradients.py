"""Texts of task 26 for the printed summary (English, German); see :mod:`deltanet.i18n`.

Numbers filled in by :func:`deltanet.i18n.t` get the language's separators.
"""

PAIRS = {
    "g26_title": ('Task 26: unstable gradients', 'Aufgabe 26: instabile Gradienten'),
    "g26_a_head": ("(a) 0 <= sigma'(z) <= 1/4 (SymPy):", "(a) 0 <= sigma'(z) <= 1/4 (SymPy):"),
    "g26_step_sigma": ('sigma(z) = {result}', 'sigma(z) = {result}'),
    "g26_step_derivative": ("sigma'(z) = {result}", "sigma'(z) = {result}"),
    "g26_step_identity": ("so sigma' = sigma (1 - sigma): {result}",
                          "also sigma' = sigma (1 - sigma): {result}"),
    "g26_step_range": ('sigma is strictly increasing (SymPy), so p = sigma(z) runs through '
                       '(0, 1): {result}',
                       'sigma ist streng monoton wachsend (SymPy), also durchläuft p = '
                       'sigma(z) das Intervall (0, 1): {result}'),
    "g26_step_stationary": ('{result}', '{result}'),
    "g26_step_maximum": ('{result}', '{result}'),
    "g26_step_positive": ('positive on (0, 1): {result}', 'positiv auf (0, 1): {result}'),
    "g26_step_limits": ('{result}', '{result}'),
    "g26_step_conclusion": ('hence {result}', 'somit {result}'),
    "g26_a_grid": ('numeric check: {n:,} points with |z| <= {zmax:g}: min {mn:g}, max {mx:g} '
                   'at z = {arg:g}, bound holds: {ok}, no floating-point warnings',
                   'numerische Prüfung: {n:,} Punkte mit |z| <= {zmax:g}: Min {mn:g}, Max '
                   '{mx:g} bei z = {arg:g}, Schranke gilt: {ok}, keine Gleitkomma-Warnungen'),
    "g26_b_head": ('(b) interval length L(|w|) = (2/|w|) ln((|w|/2)(1 + sqrt(1 - 4/|w|)) - '
                   '1), |w| >= 4:',
                   '(b) Intervalllänge L(|w|) = (2/|w|) ln((|w|/2)(1 + sqrt(1 - 4/|w|)) - 1), '
                   '|w| >= 4:'),
    "g26_b_max": ('maximum L = {L:.7g} at |w| = {w:.7g} (bounded search, 2 r artanh r = 1, '
                  'SymPy nsolve agree to {dw} digits in |w|, {dL} in L)',
                  'Maximum L = {L:.7g} bei |w| = {w:.7g} (beschränkte Suche, 2 r artanh r = 1 '
                  'und SymPy-nsolve stimmen auf {dw} Stellen in |w|, {dL} in L überein)'),
    "g26_b_roots": ('root finding (brentq) for {n} (w, b) pairs: lengths match L(|w|) to '
                    '{err:.1e} (relative), every set is one interval centred at -b/w (max '
                    'deviation {cerr:.1e}); empty for |w| < 4',
                    'Nullstellensuche (brentq) für {n} Paare (w, b): Längen stimmen mit '
                    'L(|w|) auf {err:.1e} (relativ) überein, jede Menge ist ein Intervall mit '
                    'Mittelpunkt -b/w (max. Abweichung {cerr:.1e}); leer für |w| < 4'),
    "g26_b_prob": ('a^(l-1) uniform on (0, 1): P = {best:.3f} at best (|w| = {w:.3g}, bias '
                   'tuned so the interval lies in (0, 1)), {rand:.3f} with b ~ N(0, 1); in '
                   '{k} layers at once at most {pk:.2g}',
                   'a^(l-1) gleichverteilt auf (0, 1): P = {best:.3f} im besten Fall (|w| = '
                   '{w:.3g}, Bias so gewählt, dass das Intervall in (0, 1) liegt), {rand:.3f} '
                   'mit b ~ N(0, 1); in {k} Schichten zugleich höchstens {pk:.2g}'),
    "g26_b_data": ('networks that learned (validation accuracy >= {thr:.0%}; chance: 10%): '
                   '{nets}; {m} validation images: {hits:,} of {n:,} (input, neuron, '
                   "connection) triples have |w sigma'(z)| >= 1 (fraction {frac:.2g}); "
                   'largest factor {mg:.3g}, largest |w| {mw:.3g}',
                   'Netze, die gelernt haben (Validierungsgenauigkeit >= {thr:.0%}; Zufall: '
                   '10%): {nets}; {m} Validierungsbilder: {hits:,} von {n:,} Tripeln '
                   "(Eingabe, Neuron, Verbindung) haben |w sigma'(z)| >= 1 (Anteil "
                   '{frac:.2g}); größter Faktor {mg:.3g}, größtes |w| {mw:.3g}'),
    "g26_b_none": ('no network reached {thr:.0%} validation accuracy: no evidence from '
                   'trained networks',
                   'kein Netz erreichte {thr:.0%} Validierungsgenauigkeit: keine Aussage über '
                   'trainierte Netze'),
    "g26_b_net": ('{sizes} {acc:.0%} after {epochs} on {n:,} images',
                  '{sizes} {acc:.0%} nach {epochs} auf {n:,} Bildern'),
    "g26_b_excluded": ('left out (did not learn): {nets}',
                       'nicht gezählt (nicht gelernt): {nets}'),
    "g26_name_normal": ('normal', 'normal'),
    "g26_name_network": ('network', 'Netz'),
    "g26_name_lognormal": ('log-normal', 'log-normal'),
    "g26_model_normal": ("q = |w sigma'(z)|, w ~ N(0, 1), z ~ N(0, 1) independent",
                         "q = |w sigma'(z)|, w ~ N(0, 1), z ~ N(0, 1) unabhängig"),
    "g26_model_network": ("q = |W^l[k, j] sigma'(z^l_j(x))| resampled i.i.d. from the trained "
                          '{sizes} network ({acc:.0%} validation accuracy), layers '
                          '{first}..{last}',
                          "q = |W^l[k, j] sigma'(z^l_j(x))| unabhängig neu gezogen aus dem "
                          'trainierten Netz {sizes} ({acc:.0%} Validierungsgenauigkeit), '
                          'Schichten {first}..{last}'),
    "g26_model_lognormal": ('ln q ~ N(mu, s^2) with mu, s^2 of the N(0, 1) model (control: '
                            'formula exact)',
                            'ln q ~ N(mu, s^2) mit mu, s^2 des N(0, 1)-Modells (Kontrolle: '
                            'Formel exakt)'),
    "g26_b_answer_no": ('Likely? No. The interval is at most {L:.3f} long and needs |w| >= 4 '
                        'and a tuned bias; trained networks have |w| far below 4, so a^(l-1) '
                        'essentially never falls in it.',
                        'Wahrscheinlich? Nein. Das Intervall ist höchstens {L:.3f} lang und '
                        'verlangt |w| >= 4 und einen passenden Bias; trainierte Netze haben '
                        '|w| weit unter 4, a^(l-1) liegt praktisch nie darin.'),
    "g26_b_answer_theory": ("Likely? No. The interval is at most {L:.3f} long and needs |w| >= 4 "
                            "and a tuned bias (no network here learned enough to check trained "
                            "weights).",
                            "Wahrscheinlich? Nein. Das Intervall ist höchstens {L:.3f} lang und "
                            "verlangt |w| >= 4 und einen passenden Bias (kein Netz hier hat genug "
                            "gelernt, um trainierte Gewichte zu prüfen)."),
    "g26_b_answer_some": ('Likely? Rarely: only a fraction {frac:.2g} of the factors reach 1.',
                          'Wahrscheinlich? Selten: nur ein Anteil {frac:.2g} der Faktoren '
                          'erreicht 1.'),
    "g26_c_head": ('(c) ln Q ~ N(k mu, k s^2):  E[Q] = exp(k mu + k s^2/2),  Var[Q] = (exp(k '
                   's^2) - 1) exp(2 k mu + k s^2)',
                   '(c) ln Q ~ N(k mu, k s^2):  E[Q] = exp(k mu + k s^2/2),  Var[Q] = (exp(k '
                   's^2) - 1) exp(2 k mu + k s^2)'),
    "g26_c_model": ("model '{name}': {desc}\n      mu = {mu:.4f}, s^2 = {s2:.4f} (estimated "
                    'from {n:,} x {k} draws); exact E[q] = {m1:.4g}, E[q^2] = {m2:.4g}',
                    "Modell '{name}': {desc}\n      mu = {mu:.4f}, s^2 = {s2:.4f} (geschätzt "
                    'aus {n:,} x {k} Ziehungen); exakt E[q] = {m1:.4g}, E[q^2] = {m2:.4g}'),
    "g26_c_cols": ('        k   E formula     E exact        E MC    rel.err  MC rel.SE Var '
                   'rel.err median err',
                   '        k    E Formel     E exakt        E MC  rel.Fehl.  MC rel.SF  Var '
                   'rel.F.  Median-F.'),
    "g26_c_verdict_exact": ('      log-normal q: formula = exact; Monte Carlo agrees while '
                            'its standard error is small (k <= {kok}); for larger k the '
                            'sample mean needs {paths:.2g} paths at k = {kmax} for 10 %',
                            '      log-normales q: Formel = exakt; Monte Carlo stimmt '
                            'überein, solange sein Standardfehler klein ist (k <= {kok}); für '
                            'großes k braucht der Stichprobenmittelwert {paths:.2g} Pfade bei '
                            'k = {kmax} für 10 %'),
    "g26_c_verdict_off": ('      formula off by a factor exp(k * {d:.3f}) in E[Q] ({e30:+.3g} '
                          'relative at k = {kmax}): the log-normal model gets the typical '
                          'size (median exp(k mu), error <= {med:.0%} for every k) but not '
                          'the moments, which depend on the tails of ln q (skewness '
                          '{skew:.2f}); the Monte Carlo mean itself has relative SE {se:.2g} '
                          'at k = {kmax} with {n:,} paths and would need {paths:.2g} paths '
                          'for 10 %',
                          '      Formel liegt in E[Q] um den Faktor exp(k * {d:.3f}) daneben '
                          '({e30:+.3g} relativ bei k = {kmax}): das log-normale Modell trifft '
                          'die typische Größe (Median exp(k mu), Fehler <= {med:.0%} für '
                          'jedes k), nicht aber die Momente, die von den Rändern der '
                          'Verteilung von ln q abhängen (Schiefe {skew:.2f}); der '
                          'Monte-Carlo-Mittelwert selbst hat bei k = {kmax} mit {n:,} Pfaden '
                          'den relativen Standardfehler {se:.2g} und bräuchte {paths:.2g} '
                          'Pfade für 10 %'),
    "g26_v_head": ('Beyond the sheet: ||nabla_b^l|| per hidden layer, [784, 30 x h, 10], {n} '
                   'training images, eta = {eta}, mean over seeds {seeds}:',
                   'Über das Blatt hinaus: ||nabla_b^l|| je verborgener Schicht, [784, 30 x '
                   'h, 10], {n} Trainingsbilder, eta = {eta}, Mittel über Seeds {seeds}:'),
    "g26_v_line": ('  h = {h}: at init {init}; after {ep} {final}',
                   '  h = {h}: zu Beginn {init}; nach {ep} {final}'),
    "g26_v_slow": ('         earlier layer slower by x{pl:.2g} per layer at init (x{pf:.2g} '
                   'after training); first vs last hidden layer x{fl:.3g}',
                   '         jede frühere Schicht x{pl:.2g} langsamer (zu Beginn; x{pf:.2g} '
                   'nach dem Training); erste gegen letzte verborgene Schicht x{fl:.3g}'),
    "g26_e_head": ("Exploding: |w| = {w:g}, biases tuned so z = 0 (each factor |w sigma'(z)| "
                   '= {f:g}):',
                   'Explodierend: |w| = {w:g}, Biases so gewählt, dass z = 0 (jeder Faktor |w '
                   "sigma'(z)| = {f:g}):"),
    "g26_e_chain": ('  chain of single neurons: |nabla_b^l| grows by x{g} per layer toward '
                    'the input (expected {f:g})',
                    '  Kette einzelner Neuronen: |nabla_b^l| wächst pro Schicht zur Eingabe '
                    'hin um x{g} (erwartet {f:g})'),
    "g26_e_tuned": ('  [784, 30 x 5, 10]: ||nabla_b^l|| = {norms}; growth x{g} per layer '
                    '(expected about (w/4) sqrt(30) = {p:.0f})',
                    '  [784, 30 x 5, 10]: ||nabla_b^l|| = {norms}; Wachstum x{g} pro Schicht '
                    '(erwartet etwa (w/4) sqrt(30) = {p:.0f})'),
    "g26_e_untuned": ('  biases not tuned (b = 0): {norms} -- most |z| are in the hundreds, '
                      "sigma'(z) ~ 0: toward the input the gradient vanishes again",
                      '  Biases nicht abgestimmt (b = 0): {norms} -- die meisten |z| liegen '
                      "in den Hunderten, sigma'(z) ~ 0: zur Eingabe hin verschwindet der "
                      'Gradient wieder'),
    "g26_e_input": ('  tuned, but W^1 random (a^1 depends on the image): only '
                    '{lo:.0%}-{hi:.0%} of the factors in layers 2..{L} reach 1; ||nabla_b^l|| '
                    '= {norms}',
                    '  abgestimmt, aber W^1 zufällig (a^1 hängt vom Bild ab): nur '
                    '{lo:.0%}-{hi:.0%} der Faktoren in den Schichten 2..{L} erreichen 1; '
                    '||nabla_b^l|| = {norms}'),
    "g26_e_train": ('  one SGD epoch (eta = {eta}) later: {norms}; validation accuracy {acc}',
                    '  eine SGD-Epoche (eta = {eta}) später: {norms}; Validierungsgenauigkeit '
                    '{acc}'),
    "g26_files": ('numbers: {json}\nfigures: {figs}', 'Zahlen: {json}\nAbbildungen: {figs}'),
    # ------------------------------------------------------------- figures
    "fig26_a_title": ('(a) The sigmoid and its derivative: 0 ≤ σ′(z) ≤ 1/4',
                      '(a) Sigmoid-Funktion und Ableitung: 0 ≤ σ′(z) ≤ 1/4'),
    "fig26_sigma": ('σ(z)', 'σ(z)'),
    "fig26_sigma_prime": ('σ′(z) = σ(z)(1 − σ(z))', 'σ′(z) = σ(z)(1 − σ(z))'),
    "fig26_bound": ('bound 1/4', 'Schranke 1/4'),
    "fig26_max": ('maximum 1/4 at z = 0', 'Maximum 1/4 bei z = 0'),
    "fig26_z": ('z', 'z'),
    "fig26_value": ('value', 'Wert'),
    "fig26_b_title_L": ('(b) Interval length L(|w|)', '(b) Intervalllänge L(|w|)'),
    "fig26_abs_w": ('|w|', '|w|'),
    "fig26_L": ('L(|w|)', 'L(|w|)'),
    "fig26_formula": ("sheet's formula", 'Formel des Blatts'),
    "fig26_roots": ('root finding (brentq), several b', 'Nullstellensuche (brentq), mehrere b'),
    "fig26_L_max": ('maximum L = {L:.6f} at |w| = {w:.6f}',
                    'Maximum L = {L:.6f} bei |w| = {w:.6f}'),
    "fig26_b_title_gain": ('Gain at |w| = {w:.4g}, b = {b:.4g}',
                           'Verstärkung bei |w| = {w:.4g}, b = {b:.4g}'),
    "fig26_a": ('a^(l−1)', 'a^(l−1)'),
    "fig26_gain": ('|w σ′(w a + b)|', '|w σ′(w a + b)|'),
    "fig26_one": ('gain = 1', 'Verstärkung = 1'),
    "fig26_interval": ('interval, length {L:.4f}', 'Intervall, Länge {L:.4f}'),
    "fig26_unit": ('(0, 1)', '(0, 1)'),
    "fig26_c_title": ('(c) Moments of Q = q₁⋯q_k', '(c) Momente von Q = q₁⋯q_k'),
    "fig26_k": ('k (number of factors)', 'k (Anzahl der Faktoren)'),
    "fig26_EQ": ('E[Q]', 'E[Q]'),
    "fig26_VarQ": ('Var[Q]', 'Var[Q]'),
    "fig26_lognormal_formula": ('log-normal formula', 'log-normale Formel'),
    "fig26_exact": ('exact (i.i.d.)', 'exakt (i.i.d.)'),
    "fig26_mc": ('Monte Carlo ({n:,} paths)', 'Monte Carlo ({n:,} Pfade)'),
    "fig26_model_normal": ('w, z ~ N(0, 1)', 'w, z ~ N(0, 1)'),
    "fig26_model_network": ('trained network', 'trainiertes Netz'),
    "fig26_model_lognormal": ('exactly log-normal q', 'exakt log-normales q'),
    "fig26_relerr_title": ('Relative error of the log-normal formula (vs exact)',
                           'Relativer Fehler der log-normalen Formel (gegen exakt)'),
    "fig26_relerr_E": ('|rel. error| of E[Q]', '|rel. Fehler| von E[Q]'),
    "fig26_relerr_Var": ('|rel. error| of Var[Q]', '|rel. Fehler| von Var[Q]'),
    "fig26_mc_se": ('MC rel. standard error of the mean',
                    'relativer Standardfehler des MC-Mittels'),
    "fig26_hist_title": ('ln Q_k: Monte Carlo histogram (solid) vs N(kμ, ks²) (dashed)',
                         'ln Q_k: Monte-Carlo-Histogramm (durchgezogen) gegen N(kμ, ks²) '
                         '(gestrichelt)'),
    "fig26_lnQ": ('ln Q_k', 'ln Q_k'),
    "fig26_density": ('density', 'Dichte'),
    "fig26_v_title": ('Speed of learning ||∇b^l|| per hidden layer (mean over seeds {seeds}, '
                      'band: min–max)',
                      'Lerngeschwindigkeit ||∇b^l|| je verborgener Schicht (Mittel über Seeds '
                      '{seeds}, Band: Min–Max)'),
    "fig26_epoch": ('epoch', 'Epoche'),
    "fig26_norm": ('||∇b^l||', '||∇b^l||'),
    "fig26_layer": ('hidden layer {l}', 'verborgene Schicht {l}'),
    "fig26_hidden_n": ('[784, {h}×30, 10]', '[784, {h}×30, 10]'),
    "fig26_init_title": ('At initialization', 'Bei der Initialisierung'),
    "fig26_layer_index": ('hidden layer l', 'verborgene Schicht l'),
    "fig26_e_title": ('Exploding gradients: |w| = {w:g}, biases tuned so z = 0',
                      'Explodierende Gradienten: |w| = {w:g}, Biases so gewählt, dass z = 0'),
    "fig26_e_configs": ('[784, 5×30, 10], first {n} images',
                        '[784, 5×30, 10], erste {n} Bilder'),
    "fig26_cfg_tuned": ('tuned: factors |wσ′| = {f:g}', 'abgestimmt: Faktoren |wσ′| = {f:g}'),
    "fig26_cfg_untuned_biases": ('b = 0 (not tuned)', 'b = 0 (nicht abgestimmt)'),
    "fig26_cfg_input_dependent": ('tuned, but W¹ from default init',
                                  'abgestimmt, aber W¹ zufällig initialisiert'),
    "fig26_cfg_default": ('default initialization', 'Standard-Initialisierung'),
    "fig26_layer_all": ('layer l', 'Schicht l'),
    "fig26_zero_note": ('× : exactly 0 (drawn at the bottom)',
                        '× : exakt 0 (unten eingezeichnet)'),
    "fig26_chain_title": ('Chain of single neurons, w = {w:g}',
                          'Kette einzelner Neuronen, w = {w:g}'),
    "fig26_chain": ('|∂C/∂b^l| measured', '|∂C/∂b^l| gemessen'),
    "fig26_chain_expected": ('(w/4)^(L−l) × |∂C/∂b^L|', '(w/4)^(L−l) × |∂C/∂b^L|'),
    "fig26_train_title": ('Training the tuned net (η = {eta})',
                          'Training des abgestimmten Netzes (η = {eta})'),
    "fig26_epoch_n": ('after epoch {e}', 'nach Epoche {e}'),
    "fig26_init": ('at initialization', 'bei Initialisierung'),
}

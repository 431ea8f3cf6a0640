r"""The LaTeX of a hand-written word2vec answer, as an LALR(1) grammar for lark."""

GRAMMAR = r"""
// The LaTeX of a hand-written word2vec answer, as an LALR(1) grammar.
// Letters are single symbols (as in LaTeX math mode); products are implicit or \cdot / \times;
// shift/reduce choices are resolved by shifting, which gives the usual reading:
// a sum or a function binds the product that follows it, a subscript binds to its symbol.

?start: chain
?condition_start: cond

chain: EQ? expr (EQ expr)*

?expr: sum
?sum: term
    | sum PLUS term          -> add
    | sum MINUS term         -> sub
    | MINUS term             -> neg
    | PLUS term              -> pos

?term: factor
    | term factor            -> imul
    | term TIMES factor      -> xmul
    | term SLASH factor      -> div

?factor: scripted
    | sum_op
    | cases

scripted: base script*

script: "_" subarg           -> subscript
      | "^" suparg           -> superscript
      | PRIME                -> prime

?subarg: LETTER -> sub_letter
       | NUMBER -> sub_number
       | greek
       | "{" expr "}"
       | "{" TEXT "}"        -> sub_text
       | "{" "}"             -> sub_empty

?suparg: LETTER -> sup_letter
       | NUMBER -> sup_number
       | greek
       | TOP                 -> sup_top
       | PRIME               -> sup_prime
       | "{" TOP "}"         -> sup_top
       | "{" PRIME "}"       -> sup_prime
       | "{" expr "}"

?base: LETTER                -> letter
     | greek
     | NUMBER                -> number
     | HAT LETTER            -> hat
     | HAT "{" LETTER "}"    -> hat
     | "(" expr ")"          -> group
     | "[" expr "]"          -> group
     | "{" expr "}"          -> group
     | CARD                  -> card
     | FRAC "{" expr "}" "{" expr "}"   -> frac
     | func_app
     | call
     | PARTIAL               -> partial
     | NABLA                 -> nabla
     | DOTS                  -> dots
     | LSET items RSET       -> set_of

greek: GREEK

func_app: FUNC fscript* "(" expr ")"            -> func_paren
        | FUNC fscript* scripted_simple         -> func_bare
        | FUNC fscript*                         -> func_noarg

?fscript: PRIME              -> prime
        | "^" PRIME          -> prime
        | "^" "{" PRIME "}"  -> prime

scripted_simple: simple_base script*
?simple_base: LETTER -> letter
            | greek
            | NUMBER -> number
            | HAT LETTER -> hat
            | HAT "{" LETTER "}" -> hat
            | func_app

call: LOSSNAME callsub? "(" items ")"   -> call
    | LOSSNAME callsub?                 -> loss_symbol
callsub: "_" subarg

items: expr ("," expr)*

sum_op: SUM sumscript* term
sumscript: "_" sumsub         -> sum_lower
         | "^" suparg         -> sum_upper
?sumsub: LETTER -> sub_letter
       | greek
       | "{" relitems "}"
relitems: rel ("," rel)*
rel: expr (relop expr)*
relop: EQ | LE | LT | NE | GE | GT | IN | NOTIN

cases: BEGIN_CASES case_row (ROWSEP case_row)* ROWSEP? END_CASES
case_row: expr AMP cond
cond: TEXT+ rel texts
    | TEXT+
    | rel texts
texts: TEXT*

EQ: "="
PLUS: "+"
MINUS: "-"
TIMES: "\\cdot" | "\\times" | "\\ast" | "*"
SLASH: "/"
PRIME: "'" | "\\prime"
TOP: "\\top" | "\\intercal" | "\\mathsf{T}"
LE: "\\leq" | "\\le" | "\\leqslant"
LT: "<" | "\\lt"
NE: "\\neq" | "\\ne"
GE: "\\geq" | "\\ge" | "\\geqslant"
GT: ">" | "\\gt"
IN: "\\in"
NOTIN: "\\notin"
HAT.2: "\\hat" | "\\widehat"
FRAC.2: "\\frac" | "\\dfrac" | "\\tfrac"
FUNC.2: "\\sigma" | "\\exp" | "\\log" | "\\ln" | "\\softmax"
SUM.2: "\\sum"
PARTIAL.2: "\\partial"
NABLA.2: "\\nabla"
DOTS.2: "\\dots" | "\\ldots" | "\\cdots"
LSET.2: "\\{"
RSET.2: "\\}"
BEGIN_CASES.3: "\\begin{cases}" | "\\begin{dcases}"
END_CASES.3: "\\end{cases}" | "\\end{dcases}"
ROWSEP.2: "\\\\"
AMP: "&"
TEXT.3: /\\(text|textrm|mbox|mathrm|textit)\{[^{}]*\}/
GREEK.2: /\\(alpha|beta|gamma|delta|epsilon|varepsilon|theta|iota|kappa|lambda|mu|nu|xi|pi|rho|tau|upsilon|phi|varphi|chi|psi|omega|Omega|Theta|Phi|Psi|Lambda)(?![a-zA-Z])/
LOSSNAME.2: "J" | "f" | "L" | "\\ell"
LETTER: /[a-zA-Z]/
NUMBER: /\d+(\.\d+)?/
CARD: /\|\s*[A-Za-z]\s*\|/ | /\|\s*\\mathcal\{V\}\s*\|/

%ignore /\s+/
"""

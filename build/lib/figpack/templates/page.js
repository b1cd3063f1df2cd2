(function(){
  var root=document.documentElement, toggle=document.getElementById('lang-toggle');
  function set(lang){root.setAttribute('data-lang',lang);root.setAttribute('lang',lang==='zh'?'zh-Hans':'en');
    toggle.setAttribute('aria-pressed',lang==='zh'?'true':'false');try{localStorage.setItem('lang',lang)}catch(e){}}
  var saved=null;try{saved=localStorage.getItem('lang')}catch(e){}
  if(saved==='zh'||saved==='en'){set(saved)}
  toggle.addEventListener('click',function(){set(root.getAttribute('data-lang')==='zh'?'en':'zh')});
  document.getElementById('copy').addEventListener('click',function(){
    var text=document.getElementById('citation').textContent, status=document.getElementById('copy-status');
    function done(ok){status.textContent=ok?'✓':'';}
    if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text).then(function(){done(true)},function(){done(false)})}
    else{var r=document.createRange();r.selectNodeContents(document.getElementById('citation'));var s=window.getSelection();
      s.removeAllRanges();s.addRange(r);var ok=false;try{ok=document.execCommand('copy')}catch(e){}done(ok)}
  });
})();

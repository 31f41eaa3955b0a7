# The verbs scripts use between steps (issue #12): wait, field selectors, set
# env|resources|selector, custom columns, go templates.
kubectl apply -f deployment-demo.yaml -f service-rollout.yaml
kubectl wait --for=condition=Available deployment/deployment-demo --timeout=60s
kubectl wait --for=condition=Ready pod -l app=demoapp
kubectl wait --for=jsonpath={.status.readyReplicas}=4 deploy/deployment-demo
kubectl wait --for=jsonpath=.status.availableReplicas deploy/deployment-demo -o name
kubectl wait --for=condition=available deployments --all
kubectl wait --for=condition=Available=false deploy/deployment-demo --timeout=0
kubectl wait --for=condition=Available deploy/nope
kubectl wait --for=delete deploy/nope
kubectl wait --for=condition=Available deployments
kubectl wait --for=condition=Ready pods -l app=nothing
kubectl wait --for=condition=Available
kubectl wait deploy/deployment-demo
kubectl wait --for=bogus deploy/deployment-demo
kubectl wait --for=condition=Available deploy/deployment-demo --timeout=5
kubectl wait --for=jsonpath={.spec}=x deploy/deployment-demo
kubectl wait --for=jsonpath={.status.conditions[*].type}=x deploy/deployment-demo
kubectl wait --for=jsonpath={.a}=1=2 deploy/deployment-demo
kubectl wait --for=condition=Available deploy/deployment-demo svc/demoapp-svc --timeout=3s
kubectl get deploy
kubectl run web --image=nginx --restart=Never
kubectl run bad --image=nginx:nope --restart=Never
sleep 10
kubectl get pods --field-selector=status.phase=Running
kubectl get pods --field-selector status.phase!=Running
kubectl get pods --field-selector=status.phase=Running,metadata.name!=web -o name
kubectl get pods --field-selector=spec.restartPolicy=Never
kubectl get pods --field-selector=x=y
kubectl get deploy --field-selector=status.phase=Running
kubectl get pods -l app=demoapp --field-selector=spec.nodeName=x
kubectl get rs --field-selector=status.replicas=4
kubectl get pods --field-selector=spec.nodeName=k8s-node01
kubectl get pods --field-selector=metadata.namespace=default,spec.schedulerName=default-scheduler,spec.serviceAccountName=default
kubectl get pods -o wide --field-selector=status.podIP!=10.244.1.2
kubectl delete pod web bad --wait=false
kubectl wait --for=delete pod/web pod/bad
kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1
kubectl wait --for=condition=Available deploy/deployment-demo --timeout=0
kubectl wait --for=jsonpath={.status.updatedReplicas}=4 deploy/deployment-demo --timeout=2m
kubectl get deploy
kubectl get pods -o custom-columns=NAME:.metadata.name,IP:.status.podIP,NODE:spec.nodeName,READY:{.status.containerStatuses[*].ready}
kubectl get deploy -o custom-columns=NAME:.metadata.name,MISSING:.spec.nothing,REPLICAS:{.spec.replicas},LABELS:.spec.selector.matchLabels
kubectl get svc -o custom-columns=NAME:.metadata.name,SEL:.spec.selector,PORTS:.spec.ports[*].port --no-headers
kubectl get pods -o custom-columns=NAME
kubectl get pods -o custom-columns=
kubectl get pods -o custom-columns=A:.metadata.name,B:{.x
# columns.yaml is a custom-columns file (a line of headers, a line of paths).
kubectl get deploy -o custom-columns-file=columns.yaml
kubectl get deploy -o custom-columns-file=nope.txt
kubectl get deploy deployment-demo -o go-template={{.metadata.name}}:{{.spec.replicas}}:{{.metadata.nope}}
kubectl get pods -o go-template={{range.items}}{{.metadata.name}},{{end}}
kubectl get deploy deployment-demo -o go-template={{.metadata.name
kubectl get deploy deployment-demo -o go-template=
kubectl set BAD
kubectl set selector
kubectl set selector svc/demoapp-svc
kubectl set selector svc/demoapp-svc app=demoapp,release=stable
kubectl set selector svc demoapp-svc app=demoapp
kubectl set selector svc/demoapp-svc app!=demoapp
kubectl set selector svc/demoapp-svc app
kubectl set selector deploy/deployment-demo app=x
kubectl set selector svc/nope app=x
kubectl get svc demoapp-svc -o jsonpath={.spec.selector}
kubectl set env
kubectl set env deploy/deployment-demo --list
kubectl set env deploy/deployment-demo A=1 B=two
kubectl set env deploy/deployment-demo A=1
kubectl set env deploy/deployment-demo A- -e C=3 --env=D=4
kubectl set env deploy/deployment-demo E- -c nope
kubectl set env deploy/deployment-demo 1A=x
kubectl set env deploy/deployment-demo A=1 deploy/deployment-demo
kubectl set env deploy/deployment-demo B=other --overwrite=false
kubectl set env deploy --all --list X=1
kubectl set env deploy/nope X=1
kubectl set resources deploy/deployment-demo
kubectl set resources deploy/deployment-demo --limits=cpu=200m,memory=512Mi
kubectl set resources deploy/deployment-demo --limits=cpu=200m,memory=512Mi
kubectl set resources deploy/deployment-demo --requests=cpu=0.1,memory=0.25Gi -c demoapp
kubectl set resources deploy/deployment-demo --requests=cpu=abc
kubectl set resources deploy/deployment-demo --requests=cpu
kubectl set resources deploy/deployment-demo --requests=cpu=1 -c nope
kubectl set resources svc/demoapp-svc --requests=cpu=1
kubectl get deploy deployment-demo -o jsonpath={.spec.template.spec.containers[0].resources}
kubectl get deploy deployment-demo -o jsonpath={.spec.template.spec.containers[0].env}
kubectl rollout status deployment/deployment-demo
kubectl delete deploy deployment-demo --wait=false
kubectl wait --for=delete pod -l app=demoapp --timeout=2m
kubectl get pods
